// casefhir/errors.h — the one error type of the library: a kind, a location and a reason.
//
//   try { auto m = casefhir::Mappings::load({"my-mappings"}); }
//   catch (const casefhir::Error& e) { std::cerr << e.what() << '\n'; }   // file: /pointer: reason
//
// The library never prints and never exits; the CLI maps ErrorKind to exit codes in one table
// (converters/cli/commands.cpp). A mapping error ends the run; an input error ends one document.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace casefhir {

enum class ErrorKind {
  usage,            // a bad option or argument
  input_missing,    // the input file does not exist or cannot be opened
  input_empty,      // nothing but white space
  input_binary,     // NUL bytes or control characters: not text
  input_encoding,   // not valid UTF-8
  input_too_large,  // over the configured size limit
  input_malformed,  // a structured input (JSON, XML, TSV) that does not parse
  mapping_invalid,  // a mapping file is unreadable, not JSON, or breaks the schema / a code check
  output_failed,    // the output could not be written
  input_not_case_report,  // a journal article that is not a case report (research article, review, editorial)
};

// Where an error is. Text and XML inputs use line and column (1-based, columns in code points);
// mapping files use a JSON pointer. Empty parts are left out of the message.
struct Location {
  std::string file;
  std::size_t line = 0;
  std::size_t column = 0;
  std::string pointer;

  std::string to_string() const;
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, Location where, std::string reason);

  ErrorKind kind() const noexcept { return kind_; }
  const Location& where() const noexcept { return where_; }
  const std::string& reason() const noexcept { return reason_; }
  // True when the error ends the whole run (bad mappings, bad usage), not just one document.
  bool ends_run() const noexcept;

 private:
  ErrorKind kind_;
  Location where_;
  std::string reason_;
};

std::string_view to_string(ErrorKind kind);

}  // namespace casefhir
