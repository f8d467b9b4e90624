#include "mapping/importers/json_input.h"

#include "casefhir/errors.h"
#include "readers/utf8.h"

namespace casefhir::mapping::importers {

using nlohmann::json;

std::string json_pointer_token(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

json parse_json(const std::string& text, const std::string& file, const json::parser_callback_t& callback) {
  try {
    return json::parse(text, callback);
  } catch (const json::parse_error& e) {
    auto at = readers::line_column(text, e.byte > 0 ? e.byte - 1 : 0);
    // nlohmann writes "[json.exception.parse_error.101] parse error at line 3, column 5: <reason>".
    std::string message = e.what();
    if (const auto column = message.find("column "); column != std::string::npos)
      if (const auto colon = message.find(": ", column); colon != std::string::npos) message.erase(0, colon + 2);
    const auto first = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
    if (first != std::string::npos && text[first] != '{' && text[first] != '[') {
      message = "not JSON: the file starts with \"" + text.substr(first, 1) + "\"";
      at = readers::line_column(text, first);
    }
    throw Error(ErrorKind::input_malformed, Location{file, at.line, at.column, {}}, message);
  }
}

void JsonInput::fail(const std::string& reason) const {
  throw Error(ErrorKind::input_malformed, Location{file_, 0, 0, pointer_.empty() ? "/" : pointer_}, reason);
}

JsonInput JsonInput::at(const char* key) const { return JsonInput(value_.at(key), pointer_ + "/" + json_pointer_token(key), file_); }

std::vector<JsonInput> JsonInput::elements() const {
  if (!value_.is_array()) fail("must be an array");
  std::vector<JsonInput> out;
  out.reserve(value_.size());
  for (std::size_t i = 0; i < value_.size(); ++i) out.emplace_back(value_[i], pointer_ + "/" + std::to_string(i), file_);
  return out;
}

void JsonInput::expect_object() const {
  if (!value_.is_object()) fail("must be an object");
}

std::string JsonInput::string(const char* key) const {
  expect_object();
  if (!value_.contains(key)) fail(std::string("missing \"") + key + "\"");
  if (!value_[key].is_string()) fail(std::string("\"") + key + "\" must be a string");
  return value_[key].get<std::string>();
}

std::optional<std::string> JsonInput::optional_string(const char* key) const {
  if (!has(key)) return std::nullopt;
  return string(key);
}

bool JsonInput::optional_bool(const char* key) const {
  if (!has(key)) return false;
  if (!value_[key].is_boolean()) fail(std::string("\"") + key + "\" must be true or false");
  return value_[key].get<bool>();
}

std::optional<JsonInput> JsonInput::optional_array(const char* key) const {
  if (!has(key)) return std::nullopt;
  if (!value_[key].is_array()) fail(std::string("\"") + key + "\" must be an array");
  return at(key);
}

std::optional<JsonInput> JsonInput::optional_object(const char* key) const {
  if (!has(key)) return std::nullopt;
  if (!value_[key].is_object()) fail(std::string("\"") + key + "\" must be an object");
  return at(key);
}

}  // namespace casefhir::mapping::importers
