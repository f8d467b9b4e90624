#include "mapping/code_checks.h"

#include <cctype>

namespace casefhir::mapping {

namespace {
bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}
bool is_upper_alnum(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'); }
}  // namespace

bool verhoeff_valid(std::string_view digits) {
  static const int d[10][10] = {
      {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5}, {2, 3, 4, 0, 1, 7, 8, 9, 5, 6},
      {3, 4, 0, 1, 2, 8, 9, 5, 6, 7}, {4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
      {6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3}, {8, 7, 6, 5, 9, 3, 2, 1, 0, 4},
      {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}};
  static const int p[8][10] = {
      {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4}, {5, 8, 0, 3, 7, 9, 6, 1, 4, 2},
      {8, 9, 1, 6, 0, 4, 3, 5, 2, 7}, {9, 4, 5, 3, 1, 2, 6, 8, 7, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
      {2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8}};
  if (!all_digits(digits)) return false;
  int c = 0;
  std::size_t i = 0;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it, ++i) c = d[c][p[i % 8][*it - '0']];
  return c == 0;
}

bool loinc_check_valid(std::string_view code) {
  const auto dash = code.find('-');
  if (dash == std::string_view::npos || dash == 0 || dash > 7 || dash + 2 != code.size()) return false;
  const std::string_view body = code.substr(0, dash);
  if (!all_digits(body) || !all_digits(code.substr(dash + 1))) return false;
  // LOINC's published algorithm: odd positions from the right, as a number, doubled; the even
  // positions written in front of it; the digits summed; the check digit brings it to a multiple of 10.
  std::string odd, even;
  for (std::size_t k = 0; k < body.size(); ++k) {
    const char c = body[body.size() - 1 - k];
    (k % 2 == 0 ? odd : even).push_back(c);
  }
  // odd/even hold digits right-to-left; the number "odd" reads them in that order.
  unsigned long long odd_number = 0;
  for (char c : odd) odd_number = odd_number * 10 + static_cast<unsigned>(c - '0');
  const std::string joined = even + std::to_string(odd_number * 2);
  int sum = 0;
  for (char c : joined) sum += c - '0';
  const int check = (10 - sum % 10) % 10;
  return check == code.back() - '0';
}

bool icd10cm_format_valid(std::string_view code) {
  if (code.size() < 3) return false;
  if (code[0] < 'A' || code[0] > 'Z') return false;
  if (code[1] < '0' || code[1] > '9') return false;
  if (!is_upper_alnum(code[2])) return false;
  if (code.size() == 3) return true;
  if (code[3] != '.' || code.size() < 5 || code.size() > 8) return false;
  for (std::size_t i = 4; i < code.size(); ++i)
    if (!is_upper_alnum(code[i])) return false;
  return true;
}

std::optional<std::string> check_code(std::string_view system, std::string_view code) {
  const std::string c(code);
  if (code.empty()) return "code is empty";
  if (std::isspace(static_cast<unsigned char>(code.front())) || std::isspace(static_cast<unsigned char>(code.back())))
    return "code \"" + c + "\" has leading or trailing white space";
  if (system == kSnomed) {
    if (!all_digits(code)) return "SNOMED CT identifier " + c + " is not numeric";
    if (code.size() < 6 || code.size() > 18) return "SNOMED CT identifier " + c + " must have 6 to 18 digits";
    if (code[0] == '0') return "SNOMED CT identifier " + c + " starts with 0";
    const std::string_view partition = code.substr(code.size() - 3, 2);
    if (partition != "00" && partition != "10")
      return "SNOMED CT identifier " + c + " is not a concept identifier (partition " + std::string(partition) + ")";
    if (!verhoeff_valid(code)) return "SNOMED CT identifier " + c + " fails its Verhoeff check digit";
  } else if (system == kLoinc) {
    if (!loinc_check_valid(code)) return "LOINC code " + c + " is malformed or fails its mod-10 check digit";
  } else if (system == kIcd10cm) {
    if (!icd10cm_format_valid(code)) return "ICD-10-CM code " + c + " is not of the form A00 or A00.0000";
  }
  return std::nullopt;
}

}  // namespace casefhir::mapping
