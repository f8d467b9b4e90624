// push/client.cpp — Pusher: a bounded queue, `concurrency` workers with one libcurl easy handle
// each (reused, so connections stay open), retries with backoff, outcomes in submission order.
#include "push/client.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <random>
#include <stdexcept>
#include <thread>

#include <curl/curl.h>

#include "casefhir/converter.h"
#include "casefhir/errors.h"
#include "fhir/transaction.h"
#include "push/retry.h"

namespace casefhir::push {

namespace {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

// A response body larger than this is not a transaction-response casefhir can use.
constexpr std::size_t kMaxResponseBytes = std::size_t{256} << 20;

struct EasyDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct ListDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

// libcurl's global set-up, once per process before the first handle (not thread-safe in itself).
void init_curl() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
      throw Error(ErrorKind::usage, {}, "libcurl could not be initialised");
  });
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if ((s[i] | 0x20) != (prefix[i] | 0x20)) return false;
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

struct Response {
  CURLcode code = CURLE_OK;
  std::string curl_error;   // libcurl's message when code is not CURLE_OK
  long status = 0;
  std::string body;
  std::string retry_after;  // the Retry-After header of the final response, if any
};

// One connection to the server: an easy handle set up once and reused for every POST of a worker.
class Connection {
 public:
  explicit Connection(const Options& options) : easy_(curl_easy_init()) {
    if (!easy_) throw Error(ErrorKind::usage, {}, "libcurl could not create a handle");
    curl_slist* list = nullptr;
    for (const char* h : {"Content-Type: application/fhir+json", "Accept: application/fhir+json",
                          "Prefer: return=minimal",   // the outcomes, not the resources (they may quote the report)
                          "Expect:"})                  // no 100-continue round trip before large bodies
      list = curl_slist_append(list, h);
    if (!options.bearer_token.empty()) list = curl_slist_append(list, ("Authorization: Bearer " + options.bearer_token).c_str());
    if (!list) throw Error(ErrorKind::usage, {}, "out of memory setting up the HTTP headers");
    headers_.reset(list);
    user_agent_ = "casefhir/" + std::string(version());
    CURL* c = easy_.get();
    curl_easy_setopt(c, CURLOPT_URL, options.server.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers_.get());
    curl_easy_setopt(c, CURLOPT_USERAGENT, user_agent_.c_str());
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");   // whatever compression libcurl can decode
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);   // a redirect would carry the token elsewhere
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);         // threads: no SIGALRM for timeouts
    curl_easy_setopt(c, CURLOPT_TIMEOUT, options.timeout_seconds);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, std::min(options.timeout_seconds, 30L));
    curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!options.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, options.ca_file.c_str());
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &Connection::on_body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, &Connection::on_header);
  }

  Response post(const std::string& body) {
    Response r;
    CURL* c = easy_.get();
    error_[0] = '\0';
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &r);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &r);
    r.code = curl_easy_perform(c);
    if (r.code != CURLE_OK) {
      r.curl_error = error_[0] ? error_ : curl_easy_strerror(r.code);
      return r;
    }
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
    return r;
  }

 private:
  static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
    auto* r = static_cast<Response*>(user);
    const std::size_t n = size * count;
    if (r->body.size() + n > kMaxResponseBytes) return 0;   // libcurl ends the transfer: CURLE_WRITE_ERROR
    r->body.append(data, n);
    return n;
  }
  static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
    auto* r = static_cast<Response*>(user);
    const std::size_t n = size * count;
    const std::string_view line(data, n);
    if (starts_with_ci(line, "HTTP/")) r->retry_after.clear();   // a new response (after 100 Continue)
    else if (starts_with_ci(line, "retry-after:")) r->retry_after = std::string(trim(line.substr(12)));
    return n;
  }

  std::unique_ptr<CURL, EasyDeleter> easy_;
  std::unique_ptr<curl_slist, ListDeleter> headers_;
  std::string user_agent_;
  char error_[CURL_ERROR_SIZE] = {};
};

// Network failures worth another attempt; the rest (a certificate that does not verify, a bad URL,
// an unsupported protocol, a response too large) fail the same way every time.
bool is_retryable_transport(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
  }
}

bool is_2xx(long status) { return status >= 200 && status <= 299; }
bool status_is_2xx(std::string_view status) { return status.size() >= 3 && status[0] == '2'; }

std::string member_string(const Json& j, const char* key) {
  if (!j.is_object()) return {};
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool is_operation_outcome(const Json& j) { return member_string(j, "resourceType") == "OperationOutcome"; }

// "Bundle.entry[3].resource.status" → 3; the entry an issue of a rejected transaction is about.
std::optional<std::size_t> entry_of_path(std::string_view path) {
  for (const std::string_view prefix : {"Bundle.entry[", "entry["}) {
    if (path.rfind(prefix, 0) != 0) continue;
    std::size_t i = prefix.size(), n = 0;
    bool digits = false;
    while (i < path.size() && path[i] >= '0' && path[i] <= '9') {
      n = n * 10 + static_cast<std::size_t>(path[i++] - '0');
      digits = true;
    }
    if (digits && i < path.size() && path[i] == ']') return n;
  }
  return std::nullopt;
}

// A rejected transaction's OperationOutcome: each issue whose expression (or location) names an
// entry is also given to that entry, as an OperationOutcome of its own.
void attribute_issues(const Json& outcome, std::vector<EntryOutcome>& entries) {
  if (!outcome.contains("issue") || !outcome["issue"].is_array()) return;
  for (const auto& issue : outcome["issue"]) {
    std::optional<std::size_t> entry;
    for (const char* key : {"expression", "location"})
      if (!entry && issue.is_object() && issue.contains(key) && issue[key].is_array())
        for (const auto& path : issue[key])
          if (!entry && path.is_string()) entry = entry_of_path(path.get_ref<const std::string&>());
    if (!entry || *entry >= entries.size()) continue;
    Json& target = entries[*entry].outcome;
    if (target.is_null()) target = Json{{"resourceType", "OperationOutcome"}, {"issue", Json::array()}};
    target["issue"].push_back(issue);
  }
}

// Reads a 2xx answer: a transaction-response (or batch-response) with one entry per entry posted.
void read_response(const std::string& body, BundleOutcome& o) {
  const Json response = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  const std::string type = member_string(response, "type");
  if (member_string(response, "resourceType") != "Bundle" || (type != "transaction-response" && type != "batch-response")) {
    o.failure = Failure::rejected;
    o.error = "HTTP " + std::to_string(o.http_status) + " but the answer is not a transaction-response Bundle";
    return;
  }
  const Json empty = Json::array();
  const Json& entries = response.contains("entry") && response["entry"].is_array() ? response["entry"] : empty;
  if (entries.size() != o.entries.size()) {
    o.failure = Failure::rejected;
    o.error = "the transaction-response has " + std::to_string(entries.size()) + " entries for " + std::to_string(o.entries.size()) +
              " posted";
    return;
  }
  std::size_t rejected = 0;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const Json empty_object = Json::object();
    const Json& r = entries[i].is_object() && entries[i].contains("response") ? entries[i]["response"] : empty_object;
    EntryOutcome& e = o.entries[i];
    e.status = member_string(r, "status");
    e.location = member_string(r, "location");
    if (r.is_object() && r.contains("outcome") && is_operation_outcome(r["outcome"]) && !status_is_2xx(e.status)) e.outcome = r["outcome"];
    if (!status_is_2xx(e.status)) ++rejected;
  }
  if (rejected) {
    o.failure = Failure::rejected;
    o.error = std::to_string(rejected) + " of " + std::to_string(entries.size()) + " entries rejected";
    return;
  }
  o.ok = true;
}

std::string describe_status(long status) {
  switch (status) {
    case 400: return "HTTP 400 Bad Request";
    case 401: return "HTTP 401 Unauthorized (is the token in the environment variable valid?)";
    case 403: return "HTTP 403 Forbidden";
    case 404: return "HTTP 404 Not Found (is the server URL the FHIR base?)";
    case 409: return "HTTP 409 Conflict";
    case 412: return "HTTP 412 Precondition Failed (an ifNoneExist matched more than one resource)";
    case 413: return "HTTP 413 Payload Too Large";
    case 422: return "HTTP 422 Unprocessable Entity";
    case 429: return "HTTP 429 Too Many Requests";
    default: return "HTTP " + std::to_string(status);
  }
}

struct Job {
  std::size_t index = 0;
  std::string bundle;
  std::string source;
};

}  // namespace

bool EntryOutcome::created() const { return status.rfind("201", 0) == 0; }
bool EntryOutcome::ok() const { return status_is_2xx(status); }

std::string_view to_string(Failure failure) {
  switch (failure) {
    case Failure::none: return "none";
    case Failure::invalid: return "invalid";
    case Failure::rejected: return "rejected";
    case Failure::unreachable: return "unreachable";
  }
  return "none";
}

PreparedBundle prepare_bundle(std::string_view bundle_json) {
  OrderedJson bundle;
  try {
    bundle = OrderedJson::parse(bundle_json);
  } catch (const nlohmann::json::parse_error& e) {
    // The position only (line and column in code points): the parser's own message quotes the input.
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i + 1 < e.byte && i < bundle_json.size(); ++i) {
      if (bundle_json[i] == '\n') {
        ++line;
        column = 1;
      } else if ((static_cast<unsigned char>(bundle_json[i]) & 0xC0) != 0x80) {
        ++column;
      }
    }
    throw Error(ErrorKind::input_malformed, {},
                "not JSON: syntax error at line " + std::to_string(line) + ", column " + std::to_string(column));
  }
  fhir::to_transaction(bundle);
  PreparedBundle prepared;
  for (const auto& e : bundle["entry"]) {
    EntryOutcome entry;
    if (e.is_object()) {
      if (e.contains("fullUrl") && e["fullUrl"].is_string()) entry.full_url = e["fullUrl"].get<std::string>();
      if (e.contains("resource") && e["resource"].is_object() && e["resource"].contains("resourceType") &&
          e["resource"]["resourceType"].is_string())
        entry.resource_type = e["resource"]["resourceType"].get<std::string>();
      if (e.contains("request") && e["request"].is_object() && e["request"].contains("ifNoneExist") &&
          e["request"]["ifNoneExist"].is_string())
        entry.if_none_exist = e["request"]["ifNoneExist"].get<std::string>();
    }
    prepared.entries.push_back(std::move(entry));
  }
  prepared.json = bundle.dump();
  return prepared;
}

struct Pusher::State {
  explicit State(Options o) : options(std::move(o)) {}

  Options options;
  // The queue between submit and the workers.
  std::mutex queue_mutex;
  std::condition_variable queue_not_empty, queue_not_full, cancelled_changed;
  std::deque<Job> queue;
  std::size_t submitted = 0;
  bool closed = false;       // no more submits: workers end when the queue is empty
  bool cancelled = false;    // the Pusher is destroyed unfinished: drop what waits, stop sleeping
  bool finished = false;
  // Set once a Bundle found the server unreachable after every attempt: later Bundles are not sent.
  std::atomic<bool> unreachable{false};
  std::string unreachable_reason;   // guarded by queue_mutex
  // Outcomes, delivered to on_outcome in submission order.
  std::mutex outcome_mutex;
  std::map<std::size_t, BundleOutcome> outcomes;
  std::size_t next_to_deliver = 0;
  std::vector<std::thread> workers;

  void run_worker(std::size_t worker);
  void post(Connection& connection, const std::string& body, BundleOutcome& o, std::mt19937& random);
  // Sleeps unless the Pusher is cancelled meanwhile; returns false when cancelled.
  bool sleep(Seconds how_long) {
    std::unique_lock lock(queue_mutex);
    return !cancelled_changed.wait_for(lock, how_long, [&] { return cancelled; });
  }
  void deliver(BundleOutcome o) {
    std::lock_guard lock(outcome_mutex);
    const std::size_t index = o.index;
    outcomes.emplace(index, std::move(o));
    for (auto it = outcomes.find(next_to_deliver); it != outcomes.end(); it = outcomes.find(next_to_deliver)) {
      if (options.on_outcome) options.on_outcome(it->second);
      std::string().swap(it->second.transaction);   // given to on_outcome only: not kept for finish()
      ++next_to_deliver;
      if (!options.keep_outcomes) outcomes.erase(it);
    }
  }
};

void Pusher::State::run_worker(std::size_t worker) {
  std::unique_ptr<Connection> connection;   // opened with the first Bundle to post
  std::mt19937 random(static_cast<std::mt19937::result_type>(std::random_device{}() + worker));
  for (;;) {
    Job job;
    {
      std::unique_lock lock(queue_mutex);
      queue_not_empty.wait(lock, [&] { return !queue.empty() || closed || cancelled; });
      if (cancelled || queue.empty()) return;
      job = std::move(queue.front());
      queue.pop_front();
    }
    queue_not_full.notify_one();
    BundleOutcome o;
    o.index = job.index;
    o.source = std::move(job.source);
    try {
      PreparedBundle prepared = prepare_bundle(job.bundle);
      std::string().swap(job.bundle);
      o.entries = std::move(prepared.entries);
      if (options.dry_run) {
        o.ok = true;
        o.transaction = std::move(prepared.json);
      } else if (unreachable) {
        std::lock_guard lock(queue_mutex);
        o.failure = Failure::unreachable;
        o.error = "not sent: the server unreachable for an earlier Bundle (" + unreachable_reason + ")";
      } else {
        if (!connection) connection = std::make_unique<Connection>(options);
        post(*connection, prepared.json, o, random);
      }
    } catch (const Error& e) {
      o.failure = Failure::invalid;
      o.error = e.what();
    } catch (const std::exception& e) {
      o.failure = Failure::invalid;
      o.error = std::string("internal error: ") + e.what();
    }
    deliver(std::move(o));
  }
}

void Pusher::State::post(Connection& connection, const std::string& body, BundleOutcome& o, std::mt19937& random) {
  std::uniform_real_distribution<double> jitter(0.0, 1.0);
  for (int attempt = 1; attempt <= options.max_attempts; ++attempt) {
    o.attempts = attempt;
    Response r = connection.post(body);
    const bool last = attempt == options.max_attempts;
    std::optional<Seconds> wait;
    if (r.code != CURLE_OK) {
      o.http_status = 0;
      o.error = r.curl_error;
      if (!is_retryable_transport(r.code) || last) {
        o.failure = r.code == CURLE_WRITE_ERROR ? Failure::rejected : Failure::unreachable;
        if (r.code == CURLE_WRITE_ERROR) o.error = "the answer is larger than " + std::to_string(kMaxResponseBytes >> 20) + " MB";
        if (o.failure == Failure::unreachable) {
          o.error = "server unreachable: " + o.error + " (after " + std::to_string(attempt) + (attempt == 1 ? " attempt)" : " attempts)");
          std::lock_guard lock(queue_mutex);
          if (!unreachable) unreachable_reason = o.error;
          unreachable = true;
        }
        return;
      }
    } else {
      o.http_status = static_cast<int>(r.status);
      if (is_2xx(r.status)) {
        o.error.clear();
        read_response(r.body, o);
        return;
      }
      if (!is_retryable_status(r.status) || last) {
        o.failure = Failure::rejected;
        o.error = describe_status(r.status);
        if (is_retryable_status(r.status)) o.error += " (after " + std::to_string(attempt) + " attempts)";
        const Json answer = Json::parse(r.body, nullptr, /*allow_exceptions=*/false);
        if (is_operation_outcome(answer)) {
          o.outcome = answer;
          attribute_issues(answer, o.entries);
          o.error += ": the server's OperationOutcome is in the report";
        }
        return;
      }
      o.error = describe_status(r.status);
      if (!r.retry_after.empty()) {
        wait = parse_retry_after(r.retry_after, std::chrono::system_clock::now());
        if (wait && wait->count() > options.max_retry_after_seconds) {
          o.failure = Failure::rejected;
          o.error += ": Retry-After asks for " + std::to_string(static_cast<long long>(wait->count())) + " s, more than the " +
                     std::to_string(static_cast<long long>(options.max_retry_after_seconds)) + " s allowed";
          return;
        }
      }
    }
    if (!wait) wait = backoff_delay(attempt, options.max_backoff_seconds, jitter(random));
    o.waited_seconds += wait->count();
    if (!sleep(*wait)) {
      o.failure = Failure::unreachable;
      o.error = "cancelled while waiting to retry";
      return;
    }
  }
}

Pusher::Pusher(Options options) : state_(std::make_unique<State>(std::move(options))) {
  Options& o = state_->options;
  if (o.concurrency == 0) throw Error(ErrorKind::usage, {}, "the concurrency must be at least 1");
  if (o.max_attempts < 1) throw Error(ErrorKind::usage, {}, "the number of attempts must be at least 1");
  if (!o.dry_run) {
    if (o.server.empty()) throw Error(ErrorKind::usage, {}, "no FHIR server URL");
    if (!starts_with_ci(o.server, "http://") && !starts_with_ci(o.server, "https://"))
      throw Error(ErrorKind::usage, {}, "the server URL must start with http:// or https://");
    while (o.server.size() > 8 && o.server.back() == '/') o.server.pop_back();
    init_curl();
  }
  for (std::size_t i = 0; i < o.concurrency; ++i) state_->workers.emplace_back([s = state_.get(), i] { s->run_worker(i); });
}

Pusher::~Pusher() {
  {
    std::lock_guard lock(state_->queue_mutex);
    if (!state_->finished) state_->cancelled = true;
    state_->closed = true;
  }
  state_->queue_not_empty.notify_all();
  state_->queue_not_full.notify_all();
  state_->cancelled_changed.notify_all();
  for (auto& t : state_->workers)
    if (t.joinable()) t.join();
}

void Pusher::submit(std::string bundle_json, std::string source) {
  State& s = *state_;
  {
    std::unique_lock lock(s.queue_mutex);
    if (s.closed) throw std::logic_error("Pusher::submit after finish");
    s.queue_not_full.wait(lock, [&] { return s.queue.size() < 2 * s.options.concurrency || s.cancelled; });
    s.queue.push_back(Job{s.submitted++, std::move(bundle_json), std::move(source)});
  }
  s.queue_not_empty.notify_one();
}

std::vector<BundleOutcome> Pusher::finish() {
  State& s = *state_;
  {
    std::lock_guard lock(s.queue_mutex);
    if (s.finished) throw std::logic_error("Pusher::finish called twice");
    s.closed = true;
    s.finished = true;
  }
  s.queue_not_empty.notify_all();
  for (auto& t : s.workers)
    if (t.joinable()) t.join();
  std::vector<BundleOutcome> all;
  all.reserve(s.outcomes.size());
  for (auto& [index, o] : s.outcomes) all.push_back(std::move(o));
  s.outcomes.clear();
  return all;
}

}  // namespace casefhir::push
