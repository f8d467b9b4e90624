// fhir/json_writer.h — JsonWriter: writes JSON text straight into a string, in the order the
// calls come, compact or indented.
//
//   std::string out;
//   JsonWriter w(out, /*pretty=*/false);
//   w.begin_object();
//   w.field("resourceType", "Patient");
//   w.key("gender"); w.value("male");
//   w.end_object();                       // {"resourceType":"Patient","gender":"male"}
//
// The FHIR builders write resources with it directly: building a JSON tree and dumping it cost
// about 60% of conversion time (bench/README.md), and key order is then simply code order.
// Strings must be valid UTF-8 (readers guarantee it); they are written unescaped except for
// quotes, backslashes and control characters, as RFC 8259 requires.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace casefhir::fhir {

class JsonWriter {
 public:
  JsonWriter(std::string& out, bool pretty) : out_(out), pretty_(pretty) {}
  // Where the text goes as it is written, for output too large to hold whole: flush() hands it
  // what has been written and empties the string; a long base64 value is flushed in pieces.
  using Sink = std::function<void(std::string_view)>;
  JsonWriter(std::string& out, bool pretty, const Sink* sink) : out_(out), pretty_(pretty), sink_(sink) {}
  void flush() {
    if (sink_ && *sink_ && !out_.empty()) {
      (*sink_)(out_);
      out_.clear();
    }
  }
  bool streaming() const { return sink_ && *sink_; }

  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }
  // Keys are the program's own constants (FHIR element names): written without an escape scan,
  // and a string literal's length is known at compile time.
  void key(std::string_view k);
  template <std::size_t N>
  void key(const char (&k)[N]) {
    key(std::string_view(k, N - 1));
  }

  void value(std::string_view s);
  // A string literal of the program (a code, a URL): trusted to need no escaping. Text that comes
  // from input or mappings is always a std::string or string_view and is escaped.
  void value(const char* literal);
  void value(const std::string& s) { value(std::string_view(s)); }
  void value(long long n);
  void value(unsigned long long n);
  void value(int n) { value(static_cast<long long>(n)); }
  void value(std::uint32_t n) { value(static_cast<unsigned long long>(n)); }
  void value(std::size_t n) { value(static_cast<unsigned long long>(n)); }
  void value(double d);
  void value(bool b);
  // A number already in JSON form ("0.5", "46"), written as it is.
  void number_text(std::string_view digits);
  // A string the program generated that needs no escaping (UUIDs, "urn:uuid:…" references),
  // optionally in two pieces, so no concatenation is allocated.
  void trusted_value(std::string_view a, std::string_view b = {});
  // JSON text made earlier by the caller (one complete value), written as it is. Only for compact
  // output: pretty output would need it re-indented.
  void raw_value(std::string_view json);
  bool pretty() const { return pretty_; }
  // Base64 of `data`, as a string value, encoded straight into the output.
  void base64_value(std::string_view data);

  template <std::size_t N, class T>
  void field(const char (&k)[N], const T& v) {
    key(std::string_view(k, N - 1));
    value(v);
  }
  template <class T>
  void field(std::string_view k, const T& v) {
    key(k);
    value(v);
  }

 private:
  void open(char c);
  void close(char c);
  void before_value();
  void newline();
  void write_string(std::string_view s);
  void append_base64(std::string_view data);

  std::string& out_;
  bool pretty_;
  const Sink* sink_ = nullptr;
  struct Level {
    bool empty = true;
    bool object = false;
  };
  std::vector<Level> stack_;
  bool after_key_ = false;
};

}  // namespace casefhir::fhir
