#pragma once
// The command handlers of the RSV mode (state.rsv): the only code that changes RsvState.
// Called from apply_command (state/apply.cpp) for the RSV commands, and from refresh_derived.
#include <filesystem>

#include "state/apply.hpp"

namespace idm::gui {

bool is_rsv_command(const Command& command);
void apply_rsv_command(ViewerContext& context, Command& command);
// Starts the tasks the RSV view needs: the check when the release or its settings changed,
// the frames the view shows, a pair's PSNR curve.
void refresh_rsv_derived(ViewerContext& context);

// Whether a folder looks like an RSV release (run_*_meta.json files in it, in a split folder
// or under result_dataset/, or only .zip files) rather than an IDM dataset. Reads the disk:
// tasks only.
bool looks_like_rsv_release(const std::filesystem::path& dir);

}  // namespace idm::gui
