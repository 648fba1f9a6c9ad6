#pragma once
// Secrets (the API key) never leave the process in text we write or print: every log line,
// error, run.json, clip file and protocol message passes through scrub_secrets(). The key is
// registered once it is read from the environment; "Bearer <token>" is masked whatever the
// token, since a server may echo an Authorization header we did not send (a proxy's key).
// Thread-safe: the registry is guarded by a mutex.
#include <string>
#include <string_view>

namespace idm::infer {

inline constexpr std::string_view kRedacted = "[redacted]";

// Registers a secret value (ignored when shorter than 4 characters: it would mask ordinary text).
void register_secret(std::string_view secret);

// Registers the value of the environment variable `variable_name`, when it is set.
void register_secret_from_env(const std::string& variable_name);

// The text with every registered secret and every "Bearer <token>" replaced by [redacted].
std::string scrub_secrets(std::string text);

}  // namespace idm::infer
