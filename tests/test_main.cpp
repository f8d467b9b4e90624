#define BOOST_TEST_MODULE casefhir
#include <boost/test/unit_test.hpp>
