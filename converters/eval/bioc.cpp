#include "eval/eval.h"
#include "casefhir/errors.h"
namespace casefhir::eval {
Report evaluate_bioc(const Converter&, const std::filesystem::path&, const Options&) {
  throw Error(ErrorKind::usage, {}, "eval bioc: not built yet");
}
}  // namespace casefhir::eval
