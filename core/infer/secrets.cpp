#include "infer/secrets.hpp"

#include <cctype>
#include <cstdlib>
#include <mutex>
#include <set>

namespace idm::infer {

namespace {

std::mutex g_mutex;                 // guards g_secrets
std::set<std::string> g_secrets;    // registered values

void replace_all(std::string& text, std::string_view needle) {
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + kRedacted.size())) {
    text.replace(at, needle.size(), kRedacted);
  }
}

bool ends_token(char c) { return std::isspace(static_cast<unsigned char>(c)) || c == '"' || c == '\'' || c == '\\' || c == ',' || c == '}'; }

// "Bearer <token>" (as in an Authorization header, token of 8+ characters) -> "Bearer [redacted]".
void mask_bearer_tokens(std::string& text) {
  static constexpr std::string_view kWord = "Bearer ";
  for (size_t at = text.find(kWord); at != std::string::npos; at = text.find(kWord, at + 1)) {
    size_t start = at + kWord.size();
    while (start < text.size() && text[start] == ' ') ++start;
    size_t end = start;
    while (end < text.size() && !ends_token(text[end])) ++end;
    if (end - start < 8 || text.compare(start, end - start, kRedacted) == 0) continue;
    text.replace(start, end - start, kRedacted);
  }
}

}  // namespace

void register_secret(std::string_view secret) {
  if (secret.size() < 4) return;
  std::lock_guard lock(g_mutex);
  g_secrets.emplace(secret);
}

void register_secret_from_env(const std::string& variable_name) {
  if (variable_name.empty()) return;
  if (const char* value = std::getenv(variable_name.c_str())) register_secret(value);
}

std::string scrub_secrets(std::string text) {
  {
    std::lock_guard lock(g_mutex);
    for (const std::string& secret : g_secrets) {
      if (text.find(secret) != std::string::npos) replace_all(text, secret);
    }
  }
  mask_bearer_tokens(text);
  return text;
}

}  // namespace idm::infer
