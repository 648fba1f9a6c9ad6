// The openai backend: one chat-completions request per window over libcurl (one easy handle
// per request, so K pool threads give K concurrent requests). Images are base64 PNG data
// URLs, optionally each after a "Frame Fxx:" text part. Retries with exponential backoff on
// 429/5xx, timeouts, dropped connections and unreadable bodies, honouring Retry-After (seconds
// or an HTTP-date). The API key is read from the environment variable named in the config, and
// is never logged.
#include <curl/curl.h>

#include <cctype>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>

#include "infer/backends.hpp"
#include "infer/frame_pipeline.hpp"
#include "infer/retry_after.hpp"
#include "infer/secrets.hpp"
#include "infer/text_util.hpp"
#include "scoring/profile.hpp"

namespace idm::infer {

namespace {

struct OpenAiSettings {
  std::string api_url;  // base URL ending in /v1
  std::string model;
  std::string api_key_env;
  std::string api_key;  // from the environment only; never written anywhere
  std::string prompt_path;
  std::string prompt_text;
  double temperature = 0.0;
  int max_tokens = 1024;
  int concurrency = 4;
  double timeout_s = 120.0;
  int max_retries = 4;
  double backoff_base_s = 0.5;
  bool interleave_labels = true;
};

size_t append_body(char* data, size_t size, size_t count, void* target) {
  static_cast<std::string*>(target)->append(data, size * count);
  return size * count;
}

// Keeps the raw Retry-After value (the last one wins); retry_after.hpp reads it.
size_t read_header(char* data, size_t size, size_t count, void* target) {
  std::string_view line(data, size * count);
  static constexpr std::string_view kName = "retry-after:";
  if (line.size() > kName.size()) {
    std::string lower(line.substr(0, kName.size()));
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == kName) *static_cast<std::string*>(target) = std::string(line.substr(kName.size()));
  }
  return size * count;
}

// Control characters in a header value would end the header: replace them.
std::string header_safe(std::string text) {
  for (char& c : text) c = static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? '?' : c;
  return text;
}

// One easy handle per pool thread, reset before each request: it keeps its connection to
// the server alive between requests (no TCP handshake per window).
CURL* thread_handle() {
  struct Handle {
    CURL* curl = curl_easy_init();
    ~Handle() {
      if (curl) curl_easy_cleanup(curl);
    }
  };
  thread_local Handle handle;
  if (handle.curl) curl_easy_reset(handle.curl);
  return handle.curl;
}

int abort_if_cancelled(void* cancel, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<const std::atomic<bool>*>(cancel)->load() ? 1 : 0;
}

// The answer text of a chat completion; false when the body is not one.
bool completion_text(const std::string& body, std::string& text, std::string& error) {
  nlohmann::json doc = nlohmann::json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    error = "the server's answer is not JSON: '" + body.substr(0, 80) + "'";
    return false;
  }
  auto choices = doc.find("choices");
  if (choices == doc.end() || !choices->is_array() || choices->empty() || !(*choices)[0].is_object() ||
      !(*choices)[0].contains("message") || !(*choices)[0]["message"].is_object()) {
    error = "the server's answer has no choices[0].message";
    return false;
  }
  const nlohmann::json& content = (*choices)[0]["message"].value("content", nlohmann::json());
  if (content.is_string()) {
    text = content.get<std::string>();
    return true;
  }
  if (content.is_array()) {  // content parts: join their text
    text.clear();
    for (const auto& part : content) {
      if (part.is_object() && part.value("type", "") == "text" && part.contains("text") && part["text"].is_string()) text += part["text"].get<std::string>();
    }
    return true;
  }
  error = "choices[0].message.content is not text";
  return false;
}

class OpenAiBackend final : public Backend {
 public:
  explicit OpenAiBackend(OpenAiSettings settings) : settings_(std::move(settings)) {}

  int concurrency() const override { return settings_.concurrency; }

  nlohmann::json describe() const override {
    return {{"name", "openai"},
            {"api_url", settings_.api_url},
            {"model", settings_.model},
            {"api_key_env", settings_.api_key_env},
            {"prompt_file", settings_.prompt_path},
            {"prompt_hash", content_hash(settings_.prompt_text)},
            {"temperature", settings_.temperature},
            {"max_tokens", settings_.max_tokens},
            {"concurrency", settings_.concurrency}};
  }

  WindowAnswer run_window(const WindowInput& input, const std::atomic<bool>& cancel) override {
    WindowAnswer out;
    std::string body = request_body(input);
    // Which window this is, for server-side logs and the test server (which answers from GT).
    std::vector<std::string> extra_headers{"X-Idmscope-Clip: " + header_safe(input.clip_key), "X-Idmscope-Window-Start: " + std::to_string(input.start_frame)};
    std::mt19937 jitter(static_cast<unsigned>(std::hash<std::string>()(input.clip_key) + input.window_index));
    for (int attempt = 0; attempt <= settings_.max_retries; ++attempt) {
      out.attempts = attempt + 1;
      double retry_after_s = -1;
      bool retryable = false;
      if (post(body, extra_headers, cancel, out, retry_after_s, retryable)) return out;
      if (cancel) {
        out.error = "cancelled";
        return out;
      }
      if (!retryable || attempt == settings_.max_retries) break;
      double wait_s = retry_after_s >= 0 ? retry_after_s  // already capped at kMaxRetryAfterS
                                         : settings_.backoff_base_s * std::pow(2.0, attempt) * (0.75 + 0.5 * std::uniform_real_distribution<>(0, 1)(jitter));
      auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(std::min(wait_s, 60.0));
      while (std::chrono::steady_clock::now() < until) {
        if (cancel) {
          out.error = "cancelled";
          return out;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    }
    return out;
  }

 private:
  std::string request_body(const WindowInput& input) const {
    std::map<std::string, std::string> values{{"frame_count", std::to_string(input.frames.size())},
                                              {"fps", "5"},
                                              {"first_label", frame_label(0)},
                                              {"last_label", frame_label(static_cast<int>(input.frames.size()) - 1)}};
    nlohmann::json content = nlohmann::json::array();
    content.push_back({{"type", "text"}, {"text", fill_template(settings_.prompt_text, values)}});
    for (size_t i = 0; i < input.frames.size(); ++i) {
      if (settings_.interleave_labels) content.push_back({{"type", "text"}, {"text", "Frame " + frame_label(static_cast<int>(i)) + ":"}});
      content.push_back({{"type", "image_url"}, {"image_url", {{"url", "data:image/png;base64," + base64_encode(input.pngs[i])}}}});
    }
    nlohmann::json body{{"model", settings_.model},
                        {"messages", nlohmann::json::array({{{"role", "user"}, {"content", content}}})},
                        {"temperature", settings_.temperature},
                        {"max_tokens", settings_.max_tokens}};
    return body.dump();
  }

  // One attempt. True with out.raw_text on success; otherwise out.error, and whether to retry.
  bool post(const std::string& body, const std::vector<std::string>& extra_headers, const std::atomic<bool>& cancel, WindowAnswer& out, double& retry_after_s, bool& retryable) const {
    CURL* curl = thread_handle();
    if (!curl) {
      out.error = "libcurl: cannot create a handle";
      return false;
    }
    std::string response;
    std::string retry_after;
    std::string url = settings_.api_url;
    while (!url.empty() && url.back() == '/') url.pop_back();
    url += "/chat/completions";
    curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
    headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip before the body
    for (const std::string& header : extra_headers) headers = curl_slist_append(headers, header.c_str());
    std::string authorization;
    if (!settings_.api_key.empty()) {
      authorization = "Authorization: Bearer " + settings_.api_key;
      headers = curl_slist_append(headers, authorization.c_str());
    }
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, read_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &retry_after);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // threads: no SIGALRM for DNS timeouts
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(settings_.timeout_s * 1000));
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, abort_if_cancelled);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, const_cast<std::atomic<bool>*>(&cancel));
    CURLcode code = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
    // An HTTP-date counts from now, when the answer has just arrived.
    if (std::optional<double> delay_s = retry_after_delay_s(retry_after, std::chrono::system_clock::now())) retry_after_s = *delay_s;
    if (code != CURLE_OK) {
      out.error = url + ": " + curl_easy_strerror(code);
      retryable = code != CURLE_ABORTED_BY_CALLBACK && code != CURLE_URL_MALFORMAT && code != CURLE_UNSUPPORTED_PROTOCOL;
      return false;
    }
    if (status != 200) {
      out.error = url + ": HTTP " + std::to_string(status) + ": " + response.substr(0, 200);
      retryable = status == 429 || status == 408 || status >= 500;
      return false;
    }
    std::string text, parse_error;
    if (!completion_text(response, text, parse_error)) {
      out.error = url + ": " + parse_error;
      retryable = true;  // a truncated or garbled body: the next attempt usually works
      return false;
    }
    out.raw_text = std::move(text);
    out.ok = true;
    return true;
  }

  OpenAiSettings settings_;
};

template <typename T>
bool read_field(const nlohmann::json& config, const char* name, T& value, std::string& error) {
  auto it = config.find(name);
  if (it == config.end() || it->is_null()) return true;
  try {
    value = it->get<T>();
  } catch (const nlohmann::json::exception&) {
    error = std::string("backend.") + name + ": wrong type (" + it->type_name() + ")";
    return false;
  }
  return true;
}

}  // namespace

std::unique_ptr<Backend> make_openai_backend(const nlohmann::json& config, std::string& error) {
  static std::once_flag curl_ready;
  std::call_once(curl_ready, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  OpenAiSettings settings;
  if (!read_field(config, "api_url", settings.api_url, error) || !read_field(config, "model", settings.model, error) ||
      !read_field(config, "api_key_env", settings.api_key_env, error) || !read_field(config, "prompt_file", settings.prompt_path, error) ||
      !read_field(config, "temperature", settings.temperature, error) || !read_field(config, "max_tokens", settings.max_tokens, error) ||
      !read_field(config, "concurrency", settings.concurrency, error) || !read_field(config, "timeout_s", settings.timeout_s, error) ||
      !read_field(config, "max_retries", settings.max_retries, error) || !read_field(config, "backoff_base_s", settings.backoff_base_s, error) ||
      !read_field(config, "interleave_labels", settings.interleave_labels, error)) {
    return nullptr;
  }
  if (settings.api_url.empty()) error = "backend.api_url: missing (the server's base URL, ending in /v1)";
  else if (settings.model.empty()) error = "backend.model: missing (the model id the server serves)";
  else if (settings.concurrency < 1 || settings.concurrency > 256) error = "backend.concurrency: must be 1..256";
  else if (settings.max_retries < 0 || settings.max_retries > 20) error = "backend.max_retries: must be 0..20";
  else if (settings.timeout_s <= 0) error = "backend.timeout_s: must be > 0";
  if (!error.empty()) return nullptr;
  if (!settings.api_key_env.empty()) {
    const char* key = std::getenv(settings.api_key_env.c_str());
    if (!key || !*key) {
      error = "backend.api_key_env: the environment variable " + settings.api_key_env + " is not set";
      return nullptr;
    }
    settings.api_key = key;
    register_secret(settings.api_key);  // everything the worker writes is scrubbed of it
  }
  if (settings.prompt_path.empty()) settings.prompt_path = (assets_dir() / "prompts" / "idm-window.txt").string();
  std::ifstream prompt(settings.prompt_path, std::ios::binary);
  std::ostringstream text;
  text << prompt.rdbuf();
  if (!prompt || text.str().empty()) {
    error = "backend.prompt_file: cannot read " + settings.prompt_path;
    return nullptr;
  }
  settings.prompt_text = text.str();
  return std::make_unique<OpenAiBackend>(std::move(settings));
}

}  // namespace idm::infer
