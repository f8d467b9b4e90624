// The text reader (converters/readers): what it accepts as text, what it refuses, and where it
// says the problem is. Positions are 1-based lines and columns counted in code points, so a user
// can open the file at the reported place; messages are pinned by exact text.
#include <boost/test/unit_test.hpp>

#include <optional>
#include <string>

#include "casefhir/document.h"
#include "casefhir/errors.h"

namespace casefhir::test {
namespace {

// The error read_text throws for these bytes, or nullopt when it reads them.
std::optional<Error> read_error(const std::string& bytes, const ReadLimits& limits = {}) {
  try {
    read_text(bytes, "f.txt", limits);
  } catch (const Error& e) {
    return e;
  }
  return std::nullopt;
}

// Checks kind, line, column and the whole message of the error for these bytes.
void check_error(const std::string& bytes, ErrorKind kind, std::size_t line, std::size_t column,
                 const std::string& message) {
  const auto e = read_error(bytes);
  BOOST_REQUIRE_MESSAGE(e.has_value(), "read_text accepted bytes it should refuse");
  BOOST_TEST(to_string(e->kind()) == to_string(kind));
  BOOST_TEST(e->where().file == "f.txt");
  BOOST_TEST(e->where().line == line);
  BOOST_TEST(e->where().column == column);
  BOOST_TEST(std::string(e->what()) == message);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(reader)

// --- empty input ---------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(empty_input_is_reported_as_empty) {
  check_error("", ErrorKind::input_empty, 0, 0, "f.txt: input is empty");
}

BOOST_AUTO_TEST_CASE(white_space_only_input_is_reported_as_empty) {
  check_error(" \t\r\n\n  \f\v\r\n", ErrorKind::input_empty, 0, 0, "f.txt: input is empty");
}

BOOST_AUTO_TEST_CASE(a_byte_order_mark_alone_is_empty_input) {
  check_error("\xEF\xBB\xBF", ErrorKind::input_empty, 0, 0, "f.txt: input is empty");
  check_error("\xEF\xBB\xBF \n", ErrorKind::input_empty, 0, 0, "f.txt: input is empty");
}

// --- binary input --------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(nul_byte_is_reported_as_binary_with_line_and_column) {
  check_error(std::string("ab\ncd\0ef", 8), ErrorKind::input_binary, 2, 3,
              "f.txt:2:3: not a text file: control byte 0x00");
}

BOOST_AUTO_TEST_CASE(other_control_bytes_are_reported_as_binary) {
  check_error("escape \x1b[0m", ErrorKind::input_binary, 1, 8, "f.txt:1:8: not a text file: control byte 0x1b");
  check_error("bell\x07", ErrorKind::input_binary, 1, 5, "f.txt:1:5: not a text file: control byte 0x07");
  check_error("line one\nline two\ndel\x7f", ErrorKind::input_binary, 3, 4,
              "f.txt:3:4: not a text file: control byte 0x7f");
}

BOOST_AUTO_TEST_CASE(binary_file_header_is_refused_before_its_encoding_is_judged) {
  // A PNG signature: 0x89 is not UTF-8 either, but "not a text file" is the more useful reason.
  check_error(std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16), ErrorKind::input_binary, 2, 1,
              "f.txt:2:1: not a text file: control byte 0x1a");
}

BOOST_AUTO_TEST_CASE(binary_byte_column_counts_code_points_not_bytes) {
  // "Sjögren – " is 10 code points and 13 bytes; the NUL is the 11th code point.
  check_error(std::string("Sj\xC3\xB6gren \xE2\x80\x93 \0", 14), ErrorKind::input_binary, 1, 11,
              "f.txt:1:11: not a text file: control byte 0x00");
}

BOOST_AUTO_TEST_CASE(tabs_form_feeds_and_line_breaks_are_text) {
  const SourceDocument doc = read_text("a\tb\fc\vd\r\ne\n", "f.txt");
  BOOST_TEST(doc.text == "a\tb\fc\vd\r\ne\n");
}

// --- invalid UTF-8 -------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(invalid_utf8_is_reported_with_line_and_column) {
  // Line 2 holds three spaces and "ü" before the stray byte: column 5 in code points (6 in bytes).
  check_error("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\n   \xC3\xBC\xFF", ErrorKind::input_encoding, 2, 5,
              "f.txt:2:5: not valid UTF-8");
}

BOOST_AUTO_TEST_CASE(truncated_sequence_at_the_end_is_invalid_utf8) {
  check_error("abc\xC3", ErrorKind::input_encoding, 1, 4, "f.txt:1:4: not valid UTF-8");
  check_error("abc\xF0\x9F\x98", ErrorKind::input_encoding, 1, 4, "f.txt:1:4: not valid UTF-8");
}

BOOST_AUTO_TEST_CASE(truncated_sequence_inside_the_text_is_invalid_utf8) {
  check_error("ab\xE2\x82x more text", ErrorKind::input_encoding, 1, 3, "f.txt:1:3: not valid UTF-8");
}

BOOST_AUTO_TEST_CASE(stray_continuation_byte_is_invalid_utf8) {
  check_error("fever\n\x80", ErrorKind::input_encoding, 2, 1, "f.txt:2:1: not valid UTF-8");
}

BOOST_AUTO_TEST_CASE(latin1_text_is_invalid_utf8) {
  // "Sjögren" saved as ISO-8859-1: ö is the single byte 0xF6.
  check_error("Sj\xF6gren syndrome", ErrorKind::input_encoding, 1, 3, "f.txt:1:3: not valid UTF-8");
}

BOOST_AUTO_TEST_CASE(overlong_encodings_are_invalid_utf8) {
  check_error("x\xC0\xAF", ErrorKind::input_encoding, 1, 2, "f.txt:1:2: not valid UTF-8");          // '/' in 2 bytes
  check_error("x\xC1\xBF", ErrorKind::input_encoding, 1, 2, "f.txt:1:2: not valid UTF-8");
  check_error("x\xE0\x80\xAF", ErrorKind::input_encoding, 1, 2, "f.txt:1:2: not valid UTF-8");      // in 3 bytes
  check_error("x\xF0\x80\x80\xAF", ErrorKind::input_encoding, 1, 2, "f.txt:1:2: not valid UTF-8");  // in 4 bytes
}

BOOST_AUTO_TEST_CASE(encoded_surrogates_are_invalid_utf8) {
  check_error("ok\n\xED\xA0\x80", ErrorKind::input_encoding, 2, 1, "f.txt:2:1: not valid UTF-8");   // U+D800
  check_error("ok\n\xED\xBF\xBF", ErrorKind::input_encoding, 2, 1, "f.txt:2:1: not valid UTF-8");   // U+DFFF
}

BOOST_AUTO_TEST_CASE(code_points_above_u10ffff_are_invalid_utf8) {
  check_error("a\xF4\x90\x80\x80", ErrorKind::input_encoding, 1, 2, "f.txt:1:2: not valid UTF-8");  // U+110000
  check_error("a\xF5\x80\x80\x80", ErrorKind::input_encoding, 1, 2, "f.txt:1:2: not valid UTF-8");
  check_error("a\xFF", ErrorKind::input_encoding, 1, 2, "f.txt:1:2: not valid UTF-8");
}

BOOST_AUTO_TEST_CASE(invalid_byte_after_a_long_ascii_run_is_found_at_its_column) {
  // The validator skips ASCII eight bytes at a time; the bad byte must still be placed exactly.
  check_error("0123456789abcdef\xC3", ErrorKind::input_encoding, 1, 17, "f.txt:1:17: not valid UTF-8");
  check_error("01234567\xFF", ErrorKind::input_encoding, 1, 9, "f.txt:1:9: not valid UTF-8");
  check_error(std::string(1000, 'a') + "\n" + std::string(37, 'b') + "\xFE", ErrorKind::input_encoding, 2, 38,
              "f.txt:2:38: not valid UTF-8");
}

BOOST_AUTO_TEST_CASE(boundary_code_points_are_valid_utf8) {
  // U+00A9, U+07FF, U+0800, U+FFFD, U+10000, U+10FFFF.
  const std::string text = "\xC2\xA9 \xDF\xBF \xE0\xA0\x80 \xEF\xBF\xBD \xF0\x90\x80\x80 \xF4\x8F\xBF\xBF";
  BOOST_TEST(read_text(text, "f.txt").text == text);
}

BOOST_AUTO_TEST_CASE(input_errors_end_one_document_not_the_run) {
  const auto e = read_error("abc\xFF");
  BOOST_REQUIRE(e.has_value());
  BOOST_TEST(!e->ends_run());
  BOOST_TEST(e->reason() == "not valid UTF-8");
}

// --- what the reader keeps and removes -----------------------------------------------------

BOOST_AUTO_TEST_CASE(utf8_byte_order_mark_is_removed) {
  const SourceDocument doc = read_text("\xEF\xBB\xBF" "A 46-year-old man.", "report.txt");
  BOOST_TEST(doc.text == "A 46-year-old man.");
  BOOST_TEST(doc.name == "report.txt");
  BOOST_TEST(doc.media_type == "text/plain");
}

BOOST_AUTO_TEST_CASE(byte_order_mark_inside_the_text_is_kept) {
  const std::string text = "a\xEF\xBB\xBF" "b";
  BOOST_TEST(read_text(text, "f.txt").text == text);
}

BOOST_AUTO_TEST_CASE(error_columns_do_not_count_the_byte_order_mark) {
  check_error("\xEF\xBB\xBF" "ab\xFF", ErrorKind::input_encoding, 1, 3, "f.txt:1:3: not valid UTF-8");
}

BOOST_AUTO_TEST_CASE(crlf_line_breaks_are_kept) {
  const SourceDocument doc = read_text("Case report\r\n\r\nA 46-year-old man.\r\n", "f.txt");
  BOOST_TEST(doc.text == "Case report\r\n\r\nA 46-year-old man.\r\n");
}

BOOST_AUTO_TEST_CASE(crlf_line_breaks_count_as_one_line_in_error_positions) {
  check_error("one\r\ntwo\r\nthr\xFF", ErrorKind::input_encoding, 3, 4, "f.txt:3:4: not valid UTF-8");
}

// --- size limit ----------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(input_over_the_byte_limit_is_too_large) {
  ReadLimits limits;
  limits.max_bytes = 10;
  const auto e = read_error("01234567890", limits);
  BOOST_REQUIRE(e.has_value());
  BOOST_TEST(to_string(e->kind()) == to_string(ErrorKind::input_too_large));
  BOOST_TEST(std::string(e->what()) == "f.txt: input is 11 bytes; the limit is 10 bytes");
}

BOOST_AUTO_TEST_CASE(input_exactly_at_the_byte_limit_is_read) {
  ReadLimits limits;
  limits.max_bytes = 10;
  BOOST_TEST(read_text("0123456789", "f.txt", limits).text == "0123456789");
}

BOOST_AUTO_TEST_CASE(default_byte_limit_is_64_mib) {
  BOOST_TEST(ReadLimits{}.max_bytes == 64u * 1024u * 1024u);
}

// --- code point offsets --------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(code_point_index_is_the_identity_for_ascii) {
  const CodePointIndex index("A 46-year-old man");
  for (std::uint32_t b = 0; b <= 17; ++b) BOOST_TEST(index.offset(b) == b);
}

BOOST_AUTO_TEST_CASE(code_point_index_maps_bytes_to_code_points_for_2_3_and_4_byte_characters) {
  // a | é (2 bytes) | € (3 bytes) | 😀 (4 bytes) | b
  const std::string text = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80" "b";
  const CodePointIndex index(text);
  BOOST_TEST(index.offset(0) == 0u);    // a
  BOOST_TEST(index.offset(1) == 1u);    // é
  BOOST_TEST(index.offset(3) == 2u);    // €
  BOOST_TEST(index.offset(6) == 3u);    // 😀
  BOOST_TEST(index.offset(10) == 4u);   // b
  BOOST_TEST(index.offset(11) == 5u);   // end
}

BOOST_AUTO_TEST_CASE(code_point_index_counts_many_multibyte_characters) {
  // "Sjögren" twenty times, separated by spaces: each word is 8 bytes and 7 code points.
  std::string text;
  for (int i = 0; i < 20; ++i) text += "Sj\xC3\xB6gren ";
  const CodePointIndex index(text);
  for (std::uint32_t i = 0; i <= 20; ++i) BOOST_TEST(index.offset(i * 9) == i * 8);
  // Inside a word, after its ö: "Sjög" is 5 bytes, 4 code points.
  BOOST_TEST(index.offset(9 * 3 + 5) == 8u * 3 + 4);
}

BOOST_AUTO_TEST_CASE(read_text_builds_the_code_point_index_of_the_decoded_text) {
  // The index must be of the text after the byte order mark is removed.
  const SourceDocument doc = read_text("\xEF\xBB\xBF\xC2\xB5g and \xC3\xA9t\xC3\xA9", "f.txt");
  BOOST_TEST(doc.text == "\xC2\xB5g and \xC3\xA9t\xC3\xA9");
  BOOST_TEST(doc.code_points.offset(0) == 0u);
  BOOST_TEST(doc.code_points.offset(3) == 2u);     // the space after "µg"
  BOOST_TEST(doc.code_points.offset(8) == 7u);     // "été"
  BOOST_TEST(doc.code_points.offset(static_cast<std::uint32_t>(doc.text.size())) == 10u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace casefhir::test
