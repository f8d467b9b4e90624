#include "casefhir/errors.h"

namespace casefhir {

namespace {
std::string format_message(const Location& where, const std::string& reason) {
  std::string where_text = where.to_string();
  return where_text.empty() ? reason : where_text + ": " + reason;
}
}  // namespace

std::string Location::to_string() const {
  std::string out = file;
  if (line > 0) {
    out += ':' + std::to_string(line);
    if (column > 0) out += ':' + std::to_string(column);
  }
  if (!pointer.empty()) {
    if (!out.empty()) out += ": ";
    out += pointer;
  }
  return out;
}

Error::Error(ErrorKind kind, Location where, std::string reason)
    : std::runtime_error(format_message(where, reason)),
      kind_(kind),
      where_(std::move(where)),
      reason_(std::move(reason)) {}

bool Error::ends_run() const noexcept {
  return kind_ == ErrorKind::usage || kind_ == ErrorKind::mapping_invalid ||
         kind_ == ErrorKind::output_failed;
}

std::string_view to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::usage: return "usage";
    case ErrorKind::input_missing: return "input-missing";
    case ErrorKind::input_empty: return "input-empty";
    case ErrorKind::input_binary: return "input-binary";
    case ErrorKind::input_encoding: return "input-encoding";
    case ErrorKind::input_too_large: return "input-too-large";
    case ErrorKind::input_malformed: return "input-malformed";
    case ErrorKind::mapping_invalid: return "mapping-invalid";
    case ErrorKind::output_failed: return "output-failed";
    case ErrorKind::input_not_case_report: return "input-not-case-report";
  }
  return "unknown";
}

}  // namespace casefhir
