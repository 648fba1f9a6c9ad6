#pragma once
// The raw action log of one clip in the recorder's exact format (spec §2).
#include <nlohmann/json.hpp>

#include <cstdint>

#include "synth/script.hpp"

namespace idm::synth {

// [[ts_us, [Type, payload]], ...] for the logged events, on the recording clock. A few
// adjacent pointer reports are swapped, as the recorder's threads do.
nlohmann::ordered_json clip_actions_json(const ClipScript& script, int64_t start_us, uint64_t seed);

// {"start_s", "end_s", "tag", "actions"} with one action per line, like the real files.
std::string clip_file_text(double start_s, double end_s, const std::string& tag, const nlohmann::ordered_json& actions);

}  // namespace idm::synth
