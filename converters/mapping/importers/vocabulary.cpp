#include "mapping/importers/vocabulary.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <unordered_map>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "casefhir/errors.h"
#include "mapping/code_checks.h"
#include "mapping/code_systems.h"

namespace casefhir::mapping::importers {

namespace fs = std::filesystem;

namespace {

// --- the code-system table ------------------------------------------------------------------
// URIs are those of HL7 Terminology (THO) and the FHIR R4 code-system list where one exists
// (SNOMED CT, ICD-10-CM, ICD-10, ICD-9-CM, LOINC, RxNorm, UMLS, MeSH, NCIt, HPO); DOID, OMIM
// and Orphanet use the URIs of this project's mapping format (mappings/README.md).

constexpr std::string_view kMeshSystem = "https://www.nlm.nih.gov/mesh";
constexpr std::string_view kNcitSystem = "http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl";
constexpr std::string_view kOmimSystem = "https://omim.org";
constexpr std::string_view kOrphanetSystem = "http://www.orpha.net";
constexpr std::string_view kRxnormSystem = "http://www.nlm.nih.gov/research/umls/rxnorm";

// How a system writes its codes: as given; ICD-10 style, a dot after the third character;
// OBO style, with the ontology's prefix ("HP:0000010", "DOID:4").
enum class CodeForm : std::uint8_t { plain, dotted, curie };

struct KnownSystem {
  std::string_view uri;
  std::string_view id_prefix;
  CodeForm form;
  std::string_view curie_prefix;
};

constexpr std::array kSystems = {
    KnownSystem{kSnomedSystem, "sct", CodeForm::plain, {}},
    KnownSystem{kIcd10cmSystem, "icd10cm", CodeForm::dotted, {}},
    KnownSystem{kIcd10System, "icd10", CodeForm::dotted, {}},
    KnownSystem{kIcd9cmSystem, "icd9cm", CodeForm::plain, {}},
    KnownSystem{kUmlsSystem, "umls", CodeForm::plain, {}},
    KnownSystem{kLoincSystem, "loinc", CodeForm::plain, {}},
    KnownSystem{kRxnormSystem, "rxnorm", CodeForm::plain, {}},
    KnownSystem{kMeshSystem, "mesh", CodeForm::plain, {}},
    KnownSystem{kNcitSystem, "ncit", CodeForm::plain, {}},
    KnownSystem{kOmimSystem, "omim", CodeForm::plain, {}},
    KnownSystem{kOrphanetSystem, "orpha", CodeForm::plain, {}},
    KnownSystem{kDoidSystem, "doid", CodeForm::curie, "DOID"},
    KnownSystem{kHpoSystem, "hp", CodeForm::curie, "HP"},
};

struct Alias {
  std::string_view name;
  std::string_view uri;
};

// Cross-reference prefixes (OBO xrefs, upper-cased) and UMLS source abbreviations (SAB). SNOMED_CT
// (two HPO xrefs) and ORPHA / ORPHANET (HPO, UMLS) name the same systems as the documented
// SNOMEDCT_US and ORDO; WHO's ICD-9 has no FHIR system and stays unknown.
constexpr std::array kPrefixes = {
    Alias{"SNOMEDCT_US", kSnomedSystem}, Alias{"SNOMEDCT", kSnomedSystem},   Alias{"SCTID", kSnomedSystem},
    Alias{"SNOMED_CT", kSnomedSystem},   Alias{"ICD10CM", kIcd10cmSystem},  Alias{"ICD9CM", kIcd9cmSystem},
    Alias{"ICD10", kIcd10System},        Alias{"ICD-10", kIcd10System},     Alias{"UMLS_CUI", kUmlsSystem},
    Alias{"UMLS", kUmlsSystem},          Alias{"MESH", kMeshSystem},        Alias{"MSH", kMeshSystem},
    Alias{"NCI", kNcitSystem},           Alias{"NCIT", kNcitSystem},        Alias{"OMIM", kOmimSystem},
    Alias{"MIM", kOmimSystem},           Alias{"ORDO", kOrphanetSystem},    Alias{"ORPHANET", kOrphanetSystem},
    Alias{"ORPHA", kOrphanetSystem},     Alias{"DOID", kDoidSystem},        Alias{"HP", kHpoSystem},
    Alias{"HPO", kHpoSystem},            Alias{"LOINC", kLoincSystem},      Alias{"LNC", kLoincSystem},
    Alias{"RXNORM", kRxnormSystem},
};

const KnownSystem* known_system(std::string_view uri) {
  for (const auto& s : kSystems)
    if (s.uri == uri) return &s;
  return nullptr;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// "SNOMEDCT_US_2023_03_01" → "SNOMEDCT_US": DOID stamps the SNOMED CT edition into the prefix.
std::string_view without_date_stamp(std::string_view prefix) {
  constexpr std::string_view shape = "_dddd_dd_dd";
  if (prefix.size() <= shape.size()) return prefix;
  const std::string_view tail = prefix.substr(prefix.size() - shape.size());
  for (std::size_t i = 0; i < shape.size(); ++i)
    if (shape[i] == 'd' ? !is_digit(tail[i]) : tail[i] != shape[i]) return prefix;
  return prefix.substr(0, prefix.size() - shape.size());
}

bool is_word_byte(char c) { return std::isalnum(static_cast<unsigned char>(c)) || (c & 0x80); }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Why a term cannot be written (the loader refuses it), or nullptr.
const char* term_problem(std::string_view t) {
  if (t.empty()) return "empty";
  if (is_space(t.front()) || is_space(t.back())) return "leading or trailing white space";
  if (std::none_of(t.begin(), t.end(), is_word_byte)) return "no letter or digit";
  return nullptr;
}

// White space folded, case kept: abbreviations match case-sensitively, so "MI" and "mi" differ.
std::string abbreviation_key(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (is_space(c)) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// --- JSON text ----------------------------------------------------------------------------

void append_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (u < 0x20) {
          out += "\\u00";
          out.push_back(kHex[u >> 4]);
          out.push_back(kHex[u & 0xF]);
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

// Writes `"key": value` members, comma-separated, in call order.
class ObjectWriter {
 public:
  explicit ObjectWriter(std::string& out) : out_(out) { out_.push_back('{'); }
  void string(std::string_view key, std::string_view value) {
    if (value.empty()) return;
    member(key);
    append_string(out_, value);
  }
  void strings(std::string_view key, const std::vector<std::string>& values) {
    if (values.empty()) return;
    member(key);
    out_.push_back('[');
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i > 0) out_ += ", ";
      append_string(out_, values[i]);
    }
    out_.push_back(']');
  }
  void codings(const std::vector<ImportedCoding>& codes) {
    member("codes");
    out_.push_back('[');
    for (std::size_t i = 0; i < codes.size(); ++i) {
      if (i > 0) out_ += ", ";
      ObjectWriter c(out_);
      c.string("system", codes[i].system);
      c.string("code", codes[i].code);
      c.string("display", codes[i].display);
      c.string("version", codes[i].version);
      c.close();
    }
    out_.push_back(']');
  }
  void close() { out_.push_back('}'); }

 private:
  void member(std::string_view key) {
    if (!first_) out_ += ", ";
    first_ = false;
    append_string(out_, key);
    out_ += ": ";
  }
  std::string& out_;
  bool first_ = true;
};

// The written terms of one concept, by scope.
struct ResolvedTerms {
  std::vector<std::string> exact, related, narrow, broad, abbreviations;
};

ResolvedTerms resolve_terms(const ImportedConcept& c, ImportSummary& summary) {
  ResolvedTerms out;
  std::vector<std::string> keys(c.terms.size());
  std::unordered_map<std::string, TermScope> strongest;
  for (std::size_t i = 0; i < c.terms.size(); ++i) {
    if (const char* problem = term_problem(c.terms[i].text)) {
      ++summary.dropped_terms[problem];
      continue;
    }
    keys[i] = term_key(c.terms[i].text);
    auto [it, fresh] = strongest.emplace(keys[i], c.terms[i].scope);
    if (!fresh && c.terms[i].scope < it->second) it->second = c.terms[i].scope;
  }
  std::unordered_set<std::string> written;
  for (std::size_t i = 0; i < c.terms.size(); ++i) {
    if (keys[i].empty()) continue;
    const TermScope scope = c.terms[i].scope;
    if (scope != strongest[keys[i]] || !written.insert(keys[i]).second) {
      ++summary.dropped_terms["duplicate"];
      continue;
    }
    auto& list = scope == TermScope::exact     ? out.exact
                 : scope == TermScope::related ? out.related
                 : scope == TermScope::narrow  ? out.narrow
                                               : out.broad;
    list.push_back(c.terms[i].text);
  }
  std::unordered_set<std::string> seen;
  for (const auto& a : c.abbreviations) {
    if (const char* problem = term_problem(a)) {
      ++summary.dropped_terms[problem];
    } else if (!seen.insert(abbreviation_key(a)).second) {
      ++summary.dropped_terms["duplicate"];
    } else {
      out.abbreviations.push_back(a);
    }
  }
  return out;
}

}  // namespace

std::string canonical_system(std::string_view system) {
  std::string_view oid = system;
  if (oid.substr(0, 8) == "urn:oid:") oid.remove_prefix(8);
  if (const std::string_view uri = fhir_uri_of_oid(oid); !uri.empty()) return std::string(uri);
  return std::string(system);
}

std::string_view id_prefix_of_system(std::string_view system) {
  const KnownSystem* s = known_system(system);
  return s ? s->id_prefix : std::string_view{};
}

std::optional<std::string> make_concept_id(std::string_view prefix, std::string_view code) {
  std::string id(prefix);
  id.push_back('-');
  for (char c : code) id.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  const bool valid = !id.empty() && (is_digit(id[0]) || (id[0] >= 'a' && id[0] <= 'z')) &&
                     std::all_of(id.begin(), id.end(), [](char c) {
                       return is_digit(c) || (c >= 'a' && c <= 'z') || c == '.' || c == '_' || c == '-';
                     });
  if (!valid || code.empty()) return std::nullopt;
  return id;
}

std::optional<ImportedCoding> xref_coding(std::string_view prefix, std::string_view local, ImportSummary& summary) {
  const std::string name = upper(without_date_stamp(prefix));
  const auto alias = std::find_if(kPrefixes.begin(), kPrefixes.end(), [&](const Alias& a) { return a.name == name; });
  if (alias == kPrefixes.end()) {
    ++summary.dropped_xrefs[prefix.empty() ? std::string("(no prefix)") : std::string(without_date_stamp(prefix))];
    return std::nullopt;
  }
  const KnownSystem& system = *known_system(alias->uri);
  ImportedCoding coding;
  coding.system = std::string(system.uri);
  coding.code = std::string(local);
  if (system.form == CodeForm::dotted && coding.code.size() > 3 && coding.code.find('.') == std::string::npos)
    coding.code.insert(3, ".");
  if (system.form == CodeForm::curie && coding.code.rfind(std::string(system.curie_prefix) + ":", 0) != 0)
    coding.code = std::string(system.curie_prefix) + ":" + coding.code;
  if (local.empty() || check_code(coding.system, coding.code)) {
    ++summary.dropped_xrefs[name + " invalid code"];
    return std::nullopt;
  }
  return coding;
}

void add_coding(ImportedConcept& target, ImportedCoding coding) {
  for (const auto& c : target.codes)
    if (c.system == coding.system && c.code == coding.code) return;
  target.codes.push_back(std::move(coding));
}

std::string term_key(std::string_view text) {
  std::string key = abbreviation_key(text);
  for (char& c : key)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return key;
}

std::optional<std::string> find_iso_date(std::string_view text) {
  constexpr std::string_view shape = "dddd-dd-dd";
  for (std::size_t i = 0; i + shape.size() <= text.size(); ++i) {
    if (i > 0 && is_digit(text[i - 1])) continue;
    if (i + shape.size() < text.size() && is_digit(text[i + shape.size()])) continue;
    bool match = true;
    for (std::size_t k = 0; k < shape.size() && match; ++k)
      match = shape[k] == 'd' ? is_digit(text[i + k]) : text[i + k] == shape[k];
    if (match) return std::string(text.substr(i, shape.size()));
  }
  return std::nullopt;
}

std::string render_mapping_file(Vocabulary& vocabulary, ImportSummary& summary) {
  auto& concepts = vocabulary.concepts;
  std::sort(concepts.begin(), concepts.end(), [](const ImportedConcept& a, const ImportedConcept& b) {
    return a.code != b.code ? a.code < b.code : a.id < b.id;
  });

  std::string out;
  out.reserve(concepts.size() * 256 + 1024);
  out += "{\"sources\": [";
  {
    const SourceInfo& s = vocabulary.source;
    ObjectWriter w(out);
    w.string("id", s.id);
    w.string("name", s.name);
    w.string("version", s.version);
    w.string("licence", s.licence);
    w.string("url", s.url);
    w.string("attribution", s.attribution);
    w.close();
  }
  out += "],\n \"";
  out += vocabulary.analytes ? "analytes" : "concepts";
  out += "\": [";

  bool first = true;
  for (std::size_t i = 0; i < concepts.size(); ++i) {
    const ImportedConcept& c = concepts[i];
    if (i > 0 && c.id == concepts[i - 1].id)
      throw Error(ErrorKind::input_malformed, Location{vocabulary.origin, 0, 0, {}},
                  "two entries have the id " + c.id + " (codes " + concepts[i - 1].code + " and " + c.code + ")");
    ResolvedTerms t = resolve_terms(c, summary);
    // A concept is written with at least one term in "terms" (the loader requires it).
    if (t.exact.empty()) {
      ++summary.dropped_concepts["no usable label or exact synonym"];
      continue;
    }
    const std::string& display = term_problem(c.display) ? t.exact.front() : c.display;

    out += first ? "\n  " : ",\n  ";
    first = false;
    ObjectWriter w(out);
    w.string("id", c.id);
    if (!vocabulary.analytes) w.string("kind", c.kind);
    w.string("source", vocabulary.source.id);
    w.string("display", display);
    w.strings("terms", t.exact);
    w.strings("related", t.related);
    w.strings("broad", t.broad);
    w.strings("narrow", t.narrow);
    w.strings("abbreviations", t.abbreviations);
    w.codings(c.codes);
    w.string("unit", c.unit);
    w.close();

    ++summary.concepts;
    ++summary.kinds[vocabulary.analytes ? "lab" : c.kind];
    summary.exact += t.exact.size();
    summary.related += t.related.size();
    summary.narrow += t.narrow.size();
    summary.broad += t.broad.size();
    summary.abbreviations += t.abbreviations.size();
    summary.codings += c.codes.size();
  }
  summary.terms = summary.exact + summary.related + summary.narrow + summary.broad + summary.abbreviations;
  out += "\n ]";
  if (!vocabulary.excluded.empty()) {
    auto& excluded = vocabulary.excluded;
    std::sort(excluded.begin(), excluded.end(), [](const ExcludedCode& a, const ExcludedCode& b) {
      return std::tie(a.system, a.code) < std::tie(b.system, b.code);
    });
    out += ",\n \"excluded_codes\": [";
    for (std::size_t i = 0; i < excluded.size(); ++i) {
      out += i ? ",\n  " : "\n  ";
      out += nlohmann::json{{"system", excluded[i].system}, {"code", excluded[i].code}, {"why", excluded[i].why}}.dump();
    }
    out += "\n ]";
  }
  out += "}\n";
  return out;
}

void write_atomically(const fs::path& dir, const std::string& name, std::string_view text) {
  const fs::path target = dir / name;
  const auto failed = [&](const std::string& reason) {
    return Error(ErrorKind::output_failed, Location{target.string(), 0, 0, {}}, reason);
  };

  // The folders this call creates, deepest last, so a failure can take them away again.
  std::vector<fs::path> created;
  std::error_code ec;
  for (fs::path p = dir; !p.empty() && !fs::exists(p, ec); p = p.parent_path()) {
    created.insert(created.begin(), p);
    if (p == p.parent_path()) break;
  }
  const auto remove_created = [&] {
    for (auto it = created.rbegin(); it != created.rend(); ++it) fs::remove(*it, ec);
  };
  for (const auto& p : created) {
    if (!fs::create_directory(p, ec) && ec) {
      remove_created();
      throw failed("cannot create the folder " + p.string() + ": " + ec.message());
    }
  }
  if (!fs::is_directory(dir, ec)) throw failed(dir.string() + " is not a folder");

  // A name of our own in the same folder (so the rename is atomic), unique per process and call.
  static std::atomic<unsigned> counter{0};
  const fs::path temporary =
      dir / ("." + name + ".part-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) {
    const std::string reason = std::strerror(errno);
    remove_created();
    throw failed("cannot be written: " + reason);
  }
  std::size_t done = 0;
  int error = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error = n < 0 ? errno : EIO;
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error == 0 && ::rename(temporary.c_str(), target.c_str()) != 0) error = errno;
  if (error != 0) {
    ::unlink(temporary.c_str());
    remove_created();
    throw failed(std::string("cannot be written: ") + std::strerror(error));
  }
}

}  // namespace casefhir::mapping::importers
