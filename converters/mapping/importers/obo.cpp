// mapping/importers/obo.cpp — OBO 1.2 flat files (doid.obo, hp.obo), read line by line.
//
// A header (format-version, data-version, date, ontology, synonymtypedef, property_value) is
// followed by stanzas; only [Term] stanzas are read: id, name, synonym ("text" SCOPE [TYPE]
// [xrefs]), xref, is_a, is_obsolete. Quoted text and xrefs use OBO's backslash escapes (\" \\ \:
// \n \t \W ...), which are decoded. Anything that is not a blank line, a "!" comment, a [Stanza]
// header or "tag: value" is an error at its line.
#include <algorithm>
#include <cctype>
#include <optional>
#include <unordered_map>

#include "casefhir/errors.h"
#include "mapping/importers/formats.h"
#include "mapping/importers/ontology.h"
#include "mapping/importers/source_file.h"
#include "readers/utf8.h"

namespace casefhir::mapping::importers {

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }

// OBO escapes: \n newline, \t tab, \W space, any other character stands for itself (\" \\ \: \!).
std::string unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 == s.size()) {
      out.push_back(s[i]);
      continue;
    }
    const char e = s[++i];
    out.push_back(e == 'n' ? '\n' : e == 't' ? '\t' : e == 'W' ? ' ' : e);
  }
  return out;
}

// The first token of a value: up to white space, a "!" comment or a "{" modifier, escapes kept
// together ("url:http\://a.b" is one token).
std::string_view first_token(std::string_view v) {
  std::size_t i = 0;
  while (i < v.size() && !is_blank(v[i]) && v[i] != '!' && v[i] != '{') i += v[i] == '\\' ? 2u : 1u;
  return v.substr(0, std::min(i, v.size()));
}

class OboParser {
 public:
  explicit OboParser(LineReader& lines) : lines_(lines) { ontology_.origin = lines.file().name(); }

  Ontology parse() {
    std::string_view line;
    while (lines_.next(line)) {
      while (!line.empty() && is_blank(line.back())) line.remove_suffix(1);
      if (line.empty() || line.front() == '!') continue;
      if (line.front() == '[') {
        if (line.back() != ']') fail(1, "a stanza header must end with \"]\"");
        finish_term();
        const std::string_view stanza = line.substr(1, line.size() - 2);
        section_ = stanza == "Term" ? Section::term : Section::other;
        if (section_ == Section::term) {
          term_ = OboTerm{};
          term_line_ = lines_.number();
        }
        continue;
      }
      const auto colon = line.find(':');
      const std::string_view tag = line.substr(0, colon == std::string_view::npos ? 0 : colon);
      if (tag.empty() || !std::all_of(tag.begin(), tag.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
          })) {
        const bool looks_other = lines_.number() == 1 && (line.front() == '{' || line.front() == '<');
        fail(1, looks_other ? "not an OBO flat file: it starts with \"" + std::string(1, line.front()) +
                                  "\" (JSON or XML); OBO lines are \"tag: value\""
                            : "expected \"tag: value\", a [Stanza] header or a \"!\" comment");
      }
      std::size_t start = colon + 1;
      while (start < line.size() && is_blank(line[start])) ++start;
      line_ = line;
      if (section_ == Section::header) read_header(tag, line.substr(start), start);
      else if (section_ == Section::term) read_term_tag(tag, line.substr(start), start);
    }
    finish_term();
    finish_header();
    return std::move(ontology_);
  }

 private:
  enum class Section { header, term, other };

  // Error at byte `offset` of the current line (1-based column in code points).
  [[noreturn]] void fail(std::size_t offset, const std::string& reason) const {
    lines_.file().fail(lines_.number(), offset == 0 ? 0 : readers::line_column(line_, offset - 1).column, reason);
  }

  // A quoted string starting at value[pos]; pos moves past the closing quote.
  std::string quoted(std::string_view value, std::size_t& pos, std::size_t value_offset, const char* what) {
    if (pos >= value.size() || value[pos] != '"')
      fail(value_offset + pos + 1, std::string(what) + " must begin with a quoted text");
    const std::size_t open = pos;
    for (std::size_t i = pos + 1; i < value.size(); ++i) {
      if (value[i] == '\\') {
        ++i;
      } else if (value[i] == '"') {
        pos = i + 1;
        return unescape(value.substr(open + 1, i - open - 1));
      }
    }
    fail(value_offset + open + 1, std::string(what) + " without closing quote");
  }

  static std::string_view next_word(std::string_view value, std::size_t& pos) {
    while (pos < value.size() && is_blank(value[pos])) ++pos;
    const std::size_t start = pos;
    while (pos < value.size() && !is_blank(value[pos])) ++pos;
    return value.substr(start, pos - start);
  }

  void read_header(std::string_view tag, std::string_view value, std::size_t offset) {
    if (tag == "ontology") {
      ontology_.id = std::string(first_token(value));
    } else if (tag == "data-version") {
      data_version_ = std::string(value);
    } else if (tag == "date") {
      date_ = std::string(value);
    } else if (tag == "synonymtypedef") {
      std::size_t pos = 0;
      const std::string name(next_word(value, pos));
      while (pos < value.size() && is_blank(value[pos])) ++pos;
      const bool described = pos < value.size() && value[pos] == '"';
      const std::string description = described ? quoted(value, pos, offset, "synonymtypedef") : "";
      const SynonymType by_name = synonym_type_from_name(name);
      synonym_types_[name] = by_name != SynonymType::plain ? by_name : synonym_type_from_name(description);
    } else if (tag == "property_value") {
      std::size_t pos = 0;
      const std::string_view relation = next_word(value, pos);
      while (pos < value.size() && is_blank(value[pos])) ++pos;
      if (pos >= value.size() || value[pos] != '"') return;
      const std::string text = quoted(value, pos, offset, "property_value");
      if (relation.ends_with("/title")) ontology_.title = text;
      else if (relation.ends_with("versionInfo")) version_info_ = text;
    }
  }

  void read_term_tag(std::string_view tag, std::string_view value, std::size_t offset) {
    if (tag == "id") {
      if (!term_.id.empty()) fail(1, "a [Term] has two ids (" + term_.id + " and " + std::string(value) + ")");
      term_.id = unescape(first_token(value));
      if (term_.id.find(':') == std::string::npos || term_.id.front() == ':' || term_.id.back() == ':')
        fail(offset + 1, "the id \"" + term_.id + "\" is not PREFIX:LOCAL");
    } else if (tag == "name") {
      if (term_.name.empty()) term_.name = unescape(value);
    } else if (tag == "synonym") {
      read_synonym(value, offset);
    } else if (tag == "xref") {
      if (const auto token = first_token(value); !token.empty()) term_.xrefs.push_back(unescape(token));
    } else if (tag == "is_a") {
      if (const auto token = first_token(value); !token.empty()) term_.parents.push_back(unescape(token));
    } else if (tag == "is_obsolete") {
      term_.obsolete = first_token(value) == "true";
    }
  }

  // synonym: "text" SCOPE [TYPE] [xrefs] {modifiers}
  void read_synonym(std::string_view value, std::size_t offset) {
    std::size_t pos = 0;
    OboSynonym s;
    s.text = quoted(value, pos, offset, "synonym");
    const std::size_t scope_at = pos;
    const std::string_view scope = next_word(value, pos);
    if (scope.empty() || scope.front() == '[') {
      s.scope = TermScope::related;   // OBO 1.4 §3.5: a synonym without a scope is RELATED
      pos = scope_at;
    } else if (scope == "EXACT") {
      s.scope = TermScope::exact;
    } else if (scope == "RELATED") {
      s.scope = TermScope::related;
    } else if (scope == "BROAD") {
      s.scope = TermScope::broad;
    } else if (scope == "NARROW") {
      s.scope = TermScope::narrow;
    } else {
      fail(offset + pos - scope.size() + 1,
           "synonym scope \"" + std::string(scope) + "\" is not EXACT, RELATED, BROAD or NARROW");
    }
    const std::string_view type = next_word(value, pos);
    if (!type.empty() && type.front() != '[' && type.front() != '{') {
      const auto it = synonym_types_.find(std::string(type));
      s.type = it != synonym_types_.end() ? it->second : synonym_type_from_name(type);
    }
    term_.synonyms.push_back(std::move(s));
  }

  void finish_term() {
    if (section_ != Section::term) return;
    if (term_.id.empty())
      lines_.file().fail(term_line_, 0, "a [Term] stanza without an id");
    if (const auto [it, fresh] = term_lines_.emplace(term_.id, term_line_); !fresh)
      lines_.file().fail(term_line_, 0,
                         term_.id + " is defined twice (first [Term] at line " + std::to_string(it->second) + ")");
    ontology_.terms.push_back(std::move(term_));
    section_ = Section::other;
  }

  void finish_header() {
    if (ontology_.id.empty() && !ontology_.terms.empty()) {
      const std::string& first = ontology_.terms.front().id;
      ontology_.id = first.substr(0, first.find(':'));
    }
    for (char& c : ontology_.id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (auto date = find_iso_date(data_version_)) {
      ontology_.version = *date;
    } else if (!data_version_.empty()) {
      ontology_.version = data_version_;
    } else if (date_.size() >= 10 && date_[2] == ':' && date_[5] == ':') {   // "31:01:2024 10:37"
      ontology_.version = date_.substr(6, 4) + "-" + date_.substr(3, 2) + "-" + date_.substr(0, 2);
    } else {
      ontology_.version = version_info_;
    }
  }

  LineReader& lines_;
  Ontology ontology_;
  Section section_ = Section::header;
  OboTerm term_;
  std::size_t term_line_ = 0;
  std::string_view line_;
  std::unordered_map<std::string, std::size_t> term_lines_;
  std::unordered_map<std::string, SynonymType> synonym_types_;
  std::string data_version_, date_, version_info_;
};

}  // namespace

Vocabulary read_obo(const ImportRequest& request, ImportSummary& summary) {
  SourceFile file(request.files.front());
  LineReader lines(file);
  Ontology ontology = OboParser(lines).parse();
  return vocabulary_from_ontology(ontology, request, summary);
}

}  // namespace casefhir::mapping::importers
