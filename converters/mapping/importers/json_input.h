// mapping/importers/json_input.h — JSON release files (OBO Graphs, FHIR ValueSets): parsing with
// errors at line and column, and a view of a value that knows its JSON pointer, so every check says
// where it failed ("hp.json.gz: /graphs/0/nodes/17/meta/synonyms/2: \"val\" must be a string").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace casefhir::mapping::importers {

// Parses a whole JSON text. A syntax error (or text that is not UTF-8) is Error(input_malformed)
// at its line and column. `callback` is nlohmann's parser callback (it may discard values).
nlohmann::json parse_json(const std::string& text, const std::string& file,
                          const nlohmann::json::parser_callback_t& callback = nullptr);

// A key as one reference token of a JSON pointer (RFC 6901: "~" and "/" written "~0" and "~1").
std::string json_pointer_token(std::string_view key);

class JsonInput {
 public:
  JsonInput(const nlohmann::json& value, std::string pointer, const std::string& file)
      : value_(value), pointer_(std::move(pointer)), file_(file) {}

  [[noreturn]] void fail(const std::string& reason) const;   // Error(input_malformed) at file: pointer
  const nlohmann::json& value() const { return value_; }
  const std::string& pointer() const { return pointer_; }

  bool has(const char* key) const { return value_.is_object() && value_.contains(key); }
  JsonInput at(const char* key) const;   // the member (which must exist)
  // The elements of this array ("must be an array"), each with its pointer.
  std::vector<JsonInput> elements() const;
  void expect_object() const;

  // Members of this object: required string; optional string, bool, array (absent: nullopt/false).
  std::string string(const char* key) const;
  std::optional<std::string> optional_string(const char* key) const;
  bool optional_bool(const char* key) const;
  std::optional<JsonInput> optional_array(const char* key) const;
  std::optional<JsonInput> optional_object(const char* key) const;

 private:
  const nlohmann::json& value_;
  std::string pointer_;
  const std::string& file_;
};

}  // namespace casefhir::mapping::importers
