#pragma once
// The worker protocol (docs/worker-protocol.md): newline-delimited JSON objects over the
// worker's stdin (requests) and stdout (events); stderr is a free-form log. Shared by the
// client in core/infer and the idmscope-worker executable.
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace idm::worker {

// Bumped whenever a message changes incompatibly; the client refuses any other version.
// 2: the `rollout` request (a world model's program per RSV trajectory) and `rollout_result`.
constexpr int kProtocolVersion = 2;

// Longest line either side accepts; anything longer is garbage (a broken worker).
constexpr size_t kMaxLineBytes = 64u << 20;

// Longest model answer (raw text) a backend passes on: a window_result carries it twice (as
// text and parsed), so ordinary answers fit a message with room to spare. A longer answer is
// that window's error naming this limit; an event that still does not fit (an answer of
// control characters, escaped six-fold) is reported by the worker the same way.
constexpr size_t kMaxAnswerBytes = 16u << 20;

// One message as a single line (compact JSON + '\n').
std::string encode_line(const nlohmann::json& message);

// Parses one line into an object with a string "type"; error says what is wrong otherwise.
bool decode_line(std::string_view line, nlohmann::json& out, std::string& error);

// A short printable excerpt of a bad line for error messages.
std::string excerpt(std::string_view text, size_t max_chars = 80);

}  // namespace idm::worker
