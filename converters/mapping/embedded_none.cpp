// mapping/embedded_none.cpp — no built-in defaults: linked into the tool that compiles them, which
// must not depend on what it is about to produce.
#include "mapping/embedded.h"

namespace casefhir::mapping {

std::string_view embedded_dictionary() { return {}; }
std::span<const EmbeddedFile> embedded_sources() { return {}; }

}  // namespace casefhir::mapping
