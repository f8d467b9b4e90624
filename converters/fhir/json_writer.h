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
#include <cstring>
#include <functional>
#include <string>
#include <string_view>

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
    // '"key":' assembled on the stack and appended at once: the literal's length is a constant,
    // so the copy is a few moves (keys are a quarter of the calls that write a Bundle).
    before_value();
    char text[N + 3];
    text[0] = '"';
    std::memcpy(text + 1, k, N - 1);
    text[N] = '"';
    text[N + 1] = ':';
    text[N + 2] = ' ';
    out_.append(text, pretty_ ? N + 3 : N + 2);
    after_key_ = true;
  }

  void value(std::string_view s);
  // A string literal of the program (a code, a URL): trusted to need no escaping. Text that comes
  // from input or mappings is always a std::string or string_view and is escaped.
  void value(const char* literal) {
    before_value();
    out_.push_back('"');
    out_.append(literal);
    out_.push_back('"');
  }
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
  void trusted_value(std::string_view a, std::string_view b = {}) {
    before_value();
    out_.push_back('"');
    out_.append(a);
    out_.append(b);
    out_.push_back('"');
  }
  // JSON text made earlier by the caller (one complete value), written as it is, optionally in two
  // pieces. Only for compact output: pretty output would need it re-indented.
  void raw_value(std::string_view a, std::string_view b = {}) {
    before_value();
    out_.append(a);
    out_.append(b);
  }
  bool pretty() const { return pretty_; }
  // Base64 of `data`, as a string value, encoded straight into the output.
  void base64_value(std::string_view data);

  template <std::size_t N, class T>
  void field(const char (&k)[N], const T& v) {
    key(k);
    value(v);
  }
  template <class T>
  void field(std::string_view k, const T& v) {
    key(k);
    value(v);
  }

 private:
  // What goes before a value: nothing after its key or at the top level; else a comma unless it
  // is the first in its object or array, and, pretty, a new line. Inline: every call writes one.
  void before_value() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (depth_ == 0) return;
    if (!first_) out_.push_back(',');
    first_ = false;
    if (pretty_) newline();
  }
  void open(char c) {
    before_value();
    out_.push_back(c);
    ++depth_;
    first_ = true;
  }
  void close(char c) {
    const bool empty = first_;
    --depth_;
    first_ = false;   // the object or array closed is a value of the one around it
    if (pretty_ && !empty) newline();
    out_.push_back(c);
  }
  void newline();
  void write_string(std::string_view s);
  void append_base64(std::string_view data);

  std::string& out_;
  bool pretty_;
  const Sink* sink_ = nullptr;
  // No stack of levels is needed: only the innermost open object or array takes values, and
  // once it closes, the one around it has a value for certain.
  std::size_t depth_ = 0;    // objects and arrays open
  bool first_ = true;        // nothing yet in the innermost open one
  bool after_key_ = false;   // a key was written; its value comes next
};

}  // namespace casefhir::fhir
