// bench.cpp — casefhir_bench: how fast one core turns case reports into FHIR JSON, and at what
// memory cost (DESIGN.md "Performance and scale"; STYLE.md section 9).
//
//   make bench                                         # 50 MB corpus, 5 passes, samples/*.txt
//   ./build/bench/casefhir_bench --size-mb 2 --repeats 1   # a short run, e.g. under callgrind
//   ./build/bench/casefhir_bench --samples DIR --against hand-written.dict   # two vocabularies, one run
//   ./build/bench/casefhir_bench --startup 21           # start-up of `casefhir convert` on one line
//
// What is timed is what a user pays for per document: Converter::convert (read, NLP, mapping,
// Bundle, written as compact JSON text). The corpus is every samples/*.txt, replicated
// round-robin into separate in-memory documents until it reaches --size-mb, so no file I/O is
// timed. Mappings load once (timed separately) into one Converter; one thread converts every
// document, the whole pass runs --repeats times, and the table gives each pass and the median.
// MB means 10^6 bytes throughout, peak RSS included.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "casefhir/converter.h"
#include "casefhir/errors.h"
#include "casefhir/fhir.h"
#include "casefhir/mapping.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr double kMB = 1e6;

struct Options {
  double size_mb = 50.0;
  int repeats = 5;
  fs::path samples = CASEFHIR_BENCH_SAMPLES_DIR;
  std::string extension = ".txt";   // which files of the folder seed the corpus (".ccda" for C-CDA)
  fs::path dictionary;   // "" = the built-in default
  fs::path against;      // a second dictionary, measured in the same run
  int startup = 0;       // > 0: time this many one-line conversions by the CLI instead
  bool extract_only = false;   // time reading and the text pipeline (matching), not the Bundle
  int load_test = 0;           // > 0: compile the defaults plus this many generated terms, time loading it
};

struct Document {
  std::string name;
  std::string text;
};

struct Pass {
  double seconds = 0;
  std::uint64_t input_bytes = 0;
  std::uint64_t output_bytes = 0;
  std::uint64_t documents = 0;
  std::uint64_t failed = 0;

  double input_mb_s() const { return static_cast<double>(input_bytes) / kMB / seconds; }
  double output_mb_s() const { return static_cast<double>(output_bytes) / kMB / seconds; }
  double documents_s() const { return static_cast<double>(documents) / seconds; }
};

const char* const kUsage =
    "usage: casefhir_bench [--size-mb MB] [--repeats N] [--samples DIR [--ext EXT]] [--dictionary FILE] [--against FILE]\n"
    "       casefhir_bench --startup N [--dictionary FILE]\n"
    "  --size-mb MB       corpus size in MB (10^6 bytes), samples replicated round-robin (default 50)\n"
    "  --repeats N        timed passes over the whole corpus; the median is reported (default 5)\n"
    "  --samples DIR      folder whose *.txt files seed the corpus (default: the repository's samples/)\n"
    "  --ext EXT          seed from *.EXT files instead (ccda, xml: CDA documents, read as convert reads them)\n"
    "  --dictionary FILE  a compiled dictionary to measure instead of the built-in one\n"
    "  --against FILE     a second dictionary: passes alternate between the two, and the ratio of\n"
    "                     their throughputs is reported (measured / against)\n"
    "  --startup N        run `casefhir convert` on a one-line report N times (separate processes):\n"
    "                     median wall time and peak RSS of one conversion, start-up included\n"
    "  --load-test TERMS  compile the default mappings plus TERMS generated terms (two per concept)\n"
    "                     into a dictionary file and time loading it (median of --repeats loads)\n"
    "  --extract-only     time read_text + extract_facts (the text pipeline: matching, context,\n"
    "                     attributes), not the Bundle; output MB/s then counts facts, not JSON\n";

[[noreturn]] void usage_error(const std::string& message) {
  std::cerr << "casefhir_bench: " << message << "\n" << kUsage;
  std::exit(2);
}

template <typename T>
T parse_number(std::string_view option, std::string_view text) {
  T value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    usage_error(std::string(option) + ": not a number: '" + std::string(text) + "'");
  }
  return value;
}

Options parse_options(int argc, char** argv) {
  Options options;
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    std::string_view value;
    bool has_value = false;
    if (const auto eq = arg.find('='); arg.starts_with("--") && eq != std::string_view::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
      has_value = true;
    }
    auto next = [&]() -> std::string_view {
      if (has_value) return value;
      if (i + 1 >= args.size()) usage_error(std::string(arg) + " needs a value");
      return args[++i];
    };
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      std::exit(0);
    } else if (arg == "--size-mb") {
      options.size_mb = parse_number<double>(arg, next());
      if (!(options.size_mb > 0)) usage_error("--size-mb must be > 0");
    } else if (arg == "--repeats") {
      options.repeats = parse_number<int>(arg, next());
      if (options.repeats < 1) usage_error("--repeats must be >= 1");
    } else if (arg == "--samples") {
      options.samples = std::string(next());
    } else if (arg == "--ext") {
      options.extension = std::string(next());
      if (options.extension.empty()) usage_error("--ext needs a file extension (txt, ccda, xml)");
      if (options.extension.front() != '.') options.extension.insert(0, ".");
    } else if (arg == "--dictionary") {
      options.dictionary = std::string(next());
    } else if (arg == "--against") {
      options.against = std::string(next());
    } else if (arg == "--load-test") {
      options.load_test = parse_number<int>(arg, next());
      if (options.load_test < 2) usage_error("--load-test must be >= 2");
    } else if (arg == "--extract-only") {
      options.extract_only = true;
    } else if (arg == "--startup") {
      options.startup = parse_number<int>(arg, next());
      if (options.startup < 1) usage_error("--startup must be >= 1");
    } else {
      usage_error("unknown option '" + std::string(arg) + "'");
    }
  }
  return options;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string text(static_cast<std::size_t>(fs::file_size(path)), '\0');
  if (!in || !in.read(text.data(), static_cast<std::streamsize>(text.size()))) {
    throw std::runtime_error("cannot read " + path.string());
  }
  return text;
}

// Every file of the folder with the extension, sorted by name so the corpus is the same on every
// machine.
std::vector<Document> read_samples(const fs::path& folder, const std::string& extension) {
  std::vector<fs::path> paths;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.is_regular_file() && entry.path().extension() == extension) paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<Document> samples;
  for (const auto& path : paths) samples.push_back({path.filename().string(), read_file(path)});
  return samples;
}

// Replicas are separate strings (separate allocations) with distinct names, as separate files
// would be; the converter keeps no state between documents, so equal texts cost the same each time.
std::vector<Document> build_corpus(const std::vector<Document>& samples, std::uint64_t target_bytes) {
  std::vector<Document> corpus;
  std::uint64_t bytes = 0;
  for (std::size_t i = 0; bytes < target_bytes || corpus.empty(); ++i) {
    const Document& sample = samples[i % samples.size()];
    const fs::path name(sample.name);
    corpus.push_back({name.stem().string() + "-" + std::to_string(i / samples.size()) + name.extension().string(),
                      sample.text});
    bytes += sample.text.size();
  }
  return corpus;
}

double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) * 1024.0 / kMB;  // Linux: ru_maxrss is in KiB
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

Pass run_pass(const casefhir::Converter& converter, const std::vector<Document>& corpus, bool extract_only) {
  Pass pass;
  const auto start = Clock::now();
  for (const Document& doc : corpus) {
    try {
      if (extract_only) {
        casefhir::SourceDocument source = casefhir::read_text(doc.text, doc.name, converter.options().limits);
        const casefhir::CaseFacts facts = casefhir::extract_facts(source, converter.mappings());
        pass.output_bytes += facts.facts.size() + facts.set_aside.size();
      } else {
        const casefhir::Conversion conversion = converter.convert(doc.text, doc.name);
        // The sizes are printed, and convert lives in another translation unit, so none of the
        // work above can be discarded.
        pass.output_bytes += conversion.bundle.size();
      }
    } catch (const casefhir::Error&) {
      ++pass.failed;   // an input error ends one document, not the run (errors.h)
    }
    pass.input_bytes += doc.text.size();
    ++pass.documents;
  }
  pass.seconds = seconds_since(start);
  return pass;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

std::string fixed(double value, int precision) {
  std::ostringstream out;
  out.setf(std::ios::fixed);
  out.precision(precision);
  out << value;
  return out.str();
}

void print_row(const std::string& label, double seconds, double in_mb_s, double docs_s, double out_mb_s,
               const std::string& note) {
  std::printf("%-8s %10s %12s %14s %13s%s%s\n", label.c_str(), fixed(seconds, 3).c_str(), fixed(in_mb_s, 2).c_str(),
              fixed(docs_s, 0).c_str(), fixed(out_mb_s, 2).c_str(), note.empty() ? "" : "  ", note.c_str());
}

casefhir::Mappings load_mappings(const fs::path& dictionary) {
  casefhir::MappingOptions options;
  options.dictionary = dictionary;
  return casefhir::Mappings::from_options(options);
}

std::string describe(const fs::path& dictionary) {
  return dictionary.empty() ? std::string("built-in dictionary") : dictionary.string();
}

struct Series {
  std::string name;
  std::vector<Pass> passes;
  double median_in() const {
    std::vector<double> v;
    for (const Pass& p : passes) v.push_back(p.input_mb_s());
    return median(v);
  }
};

void print_median(const Series& s) {
  std::vector<double> seconds, in_mb_s, docs_s, out_mb_s;
  for (const Pass& p : s.passes) {
    seconds.push_back(p.seconds);
    in_mb_s.push_back(p.input_mb_s());
    docs_s.push_back(p.documents_s());
    out_mb_s.push_back(p.output_mb_s());
  }
  print_row("median", median(seconds), median(in_mb_s), median(docs_s), median(out_mb_s), s.name);
}

// One-line conversions by the CLI, each a fresh process: what a user waits for when converting one
// short report, start-up (loading the dictionary) included.
int run_startup(const Options& options) {
  const fs::path input = fs::temp_directory_path() / ("casefhir-bench-" + std::to_string(getpid()) + ".txt");
  {
    std::ofstream out(input);
    out << "A 46-year-old man presented with fever and a cough; a chest radiograph showed pneumonia.\n";
  }
  std::vector<double> millis;
  long peak_kb = 0;
  for (int r = 0; r < options.startup; ++r) {
    std::vector<std::string> args = {CASEFHIR_BENCH_CLI, "convert", input.string(), "-o", "/dev/null"};
    if (!options.dictionary.empty()) {
      args.push_back("--dictionary");
      args.push_back(options.dictionary.string());
    }
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const auto start = Clock::now();
    const pid_t pid = fork();
    if (pid == 0) {
      execv(argv[0], argv.data());
      _exit(127);
    }
    int status = 0;
    rusage usage{};
    if (pid < 0 || wait4(pid, &status, 0, &usage) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      std::cerr << "casefhir_bench: " << CASEFHIR_BENCH_CLI << " convert failed\n";
      fs::remove(input);
      return 1;
    }
    millis.push_back(seconds_since(start) * 1e3);
    peak_kb = std::max<long>(peak_kb, usage.ru_maxrss);
  }
  fs::remove(input);
  std::printf("startup: `casefhir convert` of a one-line report with the %s, %d runs\n", describe(options.dictionary).c_str(),
              options.startup);
  std::printf("median: %s ms per conversion (min %s, max %s), peak RSS %s MB\n", fixed(median(millis), 1).c_str(),
              fixed(*std::min_element(millis.begin(), millis.end()), 1).c_str(),
              fixed(*std::max_element(millis.begin(), millis.end()), 1).c_str(),
              fixed(static_cast<double>(peak_kb) * 1024.0 / kMB, 1).c_str());
  return 0;
}

// A dictionary of the defaults plus generated terms ("ascorine velopathy"-like pairs of made-up
// words, deterministic), compiled as `casefhir mappings compile` does, then loaded as --dictionary
// loads it: what start-up costs with a vocabulary of that size.
int run_load_test(const Options& options) {
  const fs::path dir = fs::temp_directory_path() / ("casefhir-bench-load-" + std::to_string(getpid()));
  fs::create_directories(dir / "extra");
  static const char* const syllables[] = {"ar", "be", "co", "di", "en", "fa", "gi", "ho", "lu", "ma", "ne", "ol",
                                          "pa", "qui", "ro", "si", "ta", "ur", "ve", "xa", "yo", "zu", "mi", "ka"};
  std::uint64_t seed = 0x2545F4914F6CDD1DULL;
  auto word = [&] {
    std::string w;
    const int n = 3 + static_cast<int>((seed >> 60) % 3);
    for (int k = 0; k < n; ++k) {
      seed ^= seed << 13;
      seed ^= seed >> 7;
      seed ^= seed << 17;
      w += syllables[seed % (sizeof syllables / sizeof *syllables)];
    }
    return w;
  };
  {
    std::ofstream out(dir / "extra" / "generated.json");
    out << "{\"concepts\": [\n";
    const int concepts = options.load_test / 2;
    for (int i = 0; i < concepts; ++i) {
      out << (i ? ",\n" : "") << "{\"id\": \"generated-" << i << "\", \"kind\": \"finding\", \"terms\": [\"" << word() << " " << word()
          << "\", \"" << word() << " " << word() << " " << word() << "\"], \"codes\": [{\"system\": \"urn:example:generated\", \"code\": \""
          << i << "\"}]}";
    }
    out << "\n]}\n";
  }
  const auto compile_start = Clock::now();
  const std::string bytes = casefhir::compile_dictionary({dir / "extra"}, true);
  const double compile_seconds = seconds_since(compile_start);
  const fs::path file = dir / "load-test.dict";
  {
    std::ofstream out(file, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  std::vector<double> millis;
  std::size_t concepts = 0;
  for (int r = 0; r < std::max(options.repeats, 5); ++r) {
    const auto start = Clock::now();
    const casefhir::Mappings m = load_mappings(file);
    millis.push_back(seconds_since(start) * 1e3);
    concepts = m.concept_count();
  }
  std::printf("load test: the defaults plus %d generated terms compiled in %s s: %s MB, %zu concepts\n", options.load_test,
              fixed(compile_seconds, 2).c_str(), fixed(static_cast<double>(bytes.size()) / kMB, 1).c_str(), concepts);
  std::printf("median: %s ms to load (min %s, max %s; %zu loads, mapped file in the page cache)\n", fixed(median(millis), 2).c_str(),
              fixed(*std::min_element(millis.begin(), millis.end()), 2).c_str(),
              fixed(*std::max_element(millis.begin(), millis.end()), 2).c_str(), millis.size());
  fs::remove_all(dir);
  return 0;
}

int run(const Options& options) {
  if (options.startup > 0) return run_startup(options);
  if (options.load_test > 0) return run_load_test(options);
  const std::vector<Document> samples = read_samples(options.samples, options.extension);
  if (samples.empty()) {
    std::cerr << "casefhir_bench: no *" << options.extension << " files in " << options.samples << "\n";
    return 1;
  }
  const auto target = static_cast<std::uint64_t>(options.size_mb * kMB);
  const std::vector<Document> corpus = build_corpus(samples, target);
  std::uint64_t corpus_bytes = 0;
  for (const Document& doc : corpus) corpus_bytes += doc.text.size();

  const auto load_start = Clock::now();
  casefhir::Converter converter(load_mappings(options.dictionary));
  const double load_seconds = seconds_since(load_start);
  const double rss_before = peak_rss_mb();
  std::optional<casefhir::Converter> against;
  double against_load = 0;
  if (!options.against.empty()) {
    const auto start = Clock::now();
    against.emplace(load_mappings(options.against));
    against_load = seconds_since(start);
  }

  std::printf("casefhir_bench — casefhir %s, build type %s, one thread; MB = 10^6 bytes\n",
              std::string(casefhir::version()).c_str(), CASEFHIR_BENCH_BUILD_TYPE);
  std::printf("samples : %zu files from %s\n", samples.size(), options.samples.string().c_str());
  std::printf("corpus  : %zu documents, %s MB in memory (round-robin replicas)\n", corpus.size(),
              fixed(static_cast<double>(corpus_bytes) / kMB, 2).c_str());
  std::printf("mappings: %s loaded in %s ms (%zu concepts)\n", describe(options.dictionary).c_str(),
              fixed(load_seconds * 1e3, 2).c_str(), converter.mappings().concept_count());
  if (against)
    std::printf("against : %s loaded in %s ms (%zu concepts); passes alternate\n", describe(options.against).c_str(),
                fixed(against_load * 1e3, 2).c_str(), against->mappings().concept_count());
  std::printf("work    : %s per document, %d passes\n\n",
              options.extract_only ? "read_text + extract_facts (the text pipeline; output = facts and statements set aside)"
                                   : "Converter::convert (Bundle as compact JSON text)",
              options.repeats);
  std::printf("%-8s %10s %12s %14s %13s\n", "pass", "seconds", "input MB/s", "documents/s", "output MB/s");
  std::fflush(stdout);

  Series measured{describe(options.dictionary), {}}, baseline{against ? describe(options.against) : "", {}};
  std::vector<double> ratios;
  auto record = [&](Series& series, Pass p, const std::string& label) {
    std::string note = series.name;
    if (p.failed > 0) note += "; " + std::to_string(p.failed) + " documents failed";
    if (!series.passes.empty() && p.output_bytes != series.passes.front().output_bytes) note += "; output size differs from pass 1";
    print_row(label, p.seconds, p.input_mb_s(), p.documents_s(), p.output_mb_s(), note);
    std::fflush(stdout);
    series.passes.push_back(p);
  };
  for (int r = 0; r < options.repeats; ++r) {
    record(measured, run_pass(converter, corpus, options.extract_only), std::to_string(r + 1));
    if (against) {
      record(baseline, run_pass(*against, corpus, options.extract_only), std::to_string(r + 1));
      ratios.push_back(measured.passes.back().input_mb_s() / baseline.passes.back().input_mb_s());
    }
  }
  print_median(measured);
  if (against) print_median(baseline);

  const double rss_peak = peak_rss_mb();
  std::printf("\noutput  : %s MB of JSON per pass (%s× the input)\n",
              fixed(static_cast<double>(measured.passes.front().output_bytes) / kMB, 2).c_str(),
              fixed(static_cast<double>(measured.passes.front().output_bytes) / static_cast<double>(corpus_bytes), 2).c_str());
  std::printf("memory  : peak RSS %s MB (%s MB before the first pass: corpus + mappings; conversion added %s MB)\n",
              fixed(rss_peak, 1).c_str(), fixed(rss_before, 1).c_str(), fixed(rss_peak - rss_before, 1).c_str());
  if (against)
    std::printf("ratio   : throughput %s / %s = %s (median of the pass pairs %s)\n", measured.name.c_str(), baseline.name.c_str(),
                fixed(measured.median_in() / baseline.median_in(), 3).c_str(), fixed(median(ratios), 3).c_str());
  std::vector<double> docs_s;
  for (const Pass& p : measured.passes) docs_s.push_back(p.documents_s());
  std::printf("median: %s MB/s, %s documents/s, peak RSS %s MB\n", fixed(measured.median_in(), 2).c_str(),
              fixed(median(docs_s), 0).c_str(), fixed(rss_peak, 1).c_str());

  for (const Series* series : {&measured, &baseline})
    for (const Pass& p : series->passes)
      if (p.failed > 0) return 1;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse_options(argc, argv);
  try {
    return run(options);
  } catch (const std::exception& e) {
    std::cerr << "casefhir_bench: " << e.what() << "\n";
    return 1;
  }
}
