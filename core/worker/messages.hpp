#pragma once
// Field-by-field checks of worker protocol messages (docs/worker-protocol.md). Both sides
// check what they receive before they read it, so a message with a field of the wrong type
// or out of range is one protocol error naming the field ("progress.total: expected an
// integer, got string \"x\""), never an exception. Once a message passed, every field the
// schema names may be read with get<>() (integers fit in int). Unknown keys and unknown event
// types pass: both sides ignore them.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace idm::worker {

// Upper bounds that keep a malformed number from sizing an allocation.
constexpr int64_t kMaxGridFrames = 1'000'000;  // 55 hours at 5 fps
constexpr int64_t kMaxWindowFrames = 1000;

// An event (worker -> idmscope): false with error naming the first bad field.
bool validate_event(const nlohmann::json& event, std::string& error);

// A request (idmscope -> worker): false with error naming the first bad field.
bool validate_request(const nlohmann::json& request, std::string& error);

// The message's "id" when it is an integer; nullopt otherwise.
std::optional<int64_t> message_id(const nlohmann::json& message);

}  // namespace idm::worker
