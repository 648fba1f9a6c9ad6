// Keys in RSV mode, through the key map: the frame keys move by native frame, the clip keys walk
// the RSV browser, and the RSV actions (next/previous step, partner, |A - B|, flicker).
#include "key_input.hpp"
#include "rsv_panels.hpp"

namespace idm::gui {

void handle_rsv_keys(const AppState& state, const RsvUi& ui, const KeyMap& keys, CommandQueue& commands) {
  if (ImGui::GetIO().WantTextInput) return;
  if (action_pressed(keys, "next_frame") || action_pressed(keys, "next_native_frame")) commands.push_back(cmd::RsvStepFrame{+1});
  if (action_pressed(keys, "previous_frame") || action_pressed(keys, "previous_native_frame")) commands.push_back(cmd::RsvStepFrame{-1});
  if (action_pressed(keys, "first_frame")) commands.push_back(cmd::RsvSeek{0});
  if (action_pressed(keys, "last_frame")) commands.push_back(cmd::RsvSeek{state.rsv.frame_count() - 1});
  if (action_pressed(keys, "play_pause", false)) commands.push_back(cmd::RsvTogglePlay{});
  if (action_pressed(keys, "next_clip")) commands.push_back(cmd::RsvStepItem{+1, ui.order});
  if (action_pressed(keys, "previous_clip")) commands.push_back(cmd::RsvStepItem{-1, ui.order});
  if (action_pressed(keys, "rsv_next_step")) commands.push_back(cmd::RsvStepStep{+1});
  if (action_pressed(keys, "rsv_previous_step")) commands.push_back(cmd::RsvStepStep{-1});
  if (action_pressed(keys, "rsv_partner", false)) commands.push_back(cmd::RsvJumpPartner{});
  if (action_pressed(keys, "rsv_toggle_difference", false)) commands.push_back(cmd::RsvToggleDifference{});
  if (action_pressed(keys, "rsv_flicker", false)) commands.push_back(cmd::RsvToggleFlicker{});
}

}  // namespace idm::gui
