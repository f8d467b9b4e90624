// fhir/writer.cpp — JSON text of FHIR resources.
#include "casefhir/fhir.h"

namespace casefhir {

std::string write_json(const FhirJson& resource, bool pretty) {
  // Invalid UTF-8 cannot reach here (readers reject it), so strict error handling never throws
  // for converter output; it would for a hand-built resource with bad bytes.
  std::string out = pretty ? resource.dump(2) : resource.dump();
  out.push_back('\n');
  return out;
}

}  // namespace casefhir
