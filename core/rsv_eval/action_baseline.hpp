#pragma once
// A classical-vision baseline for action predictions on RSV (rsv.md §7): no model, only the
// frames. For each step it compares the step's first and last frame (9k and 9k+8) in gray at a
// small size and picks the action whose image motion explains the change best: a global
// horizontal shift (turns), a global vertical shift (looks), the floor's lateral parallax
// (strafes: a shift growing with the row below the horizon), the floor's expansion (forward /
// backward), or nothing (no_op). The motions follow the card's grid (100 cm, 15 deg, 7.5 deg),
// the 79 deg FOV and a 148 cm eye height; the horizon is assumed level (pitch 0).
#include <filesystem>
#include <string>
#include <vector>

namespace idm::rsv_eval {

bool predict_actions_classical(const std::filesystem::path& video, int steps, int frames_per_step, std::vector<std::string>& out,
                               std::string& error);

}  // namespace idm::rsv_eval
