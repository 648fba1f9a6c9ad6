#pragma once
// The commands of the Reasoning-Structured Videos (RSV) mode, beside the IDM ones: opening a
// release, choosing an item and a frame, the view toggles, and the results of the RSV tasks
// (the release read, the check, decoded frames, a pair's PSNR curve). Part of the one Command
// variant (state/command.hpp); handled in state/rsv_apply.cpp.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace idm::rsv {
struct CheckReport;
}

namespace idm::gui {
struct RsvRelease;  // state/rsv_state.hpp
struct RgbFrame;
}

namespace idm::gui::cmd {

struct RsvOpen { std::string path; };            // a folder already recognised as a release
struct RsvSelectItem { std::string key; };       // an item key or a member key (<split>/<stem>)
struct RsvStepItem { int delta = 1; std::vector<int> order; };  // walks the browser's shown order
struct RsvSeek { int frame = 0; };                // native frame, clamped to the trajectory
struct RsvStepFrame { int delta = 1; };
struct RsvStepStep { int delta = 1; };            // to the first frame of the next/previous step
struct RsvJumpPartner {};                         // the other half of a pair (or the pair's other member)
struct RsvToggleDifference {};
struct RsvToggleFlicker {};
struct RsvTogglePlay {};
struct RsvAdvance { double dt_s = 0.0; };         // the frame clock while playing (16 fps)
// The endpoint policy and frame phase the check uses ("video-ends" | "closure" | "S,E";
// "start" | "end" | "inclusive"); a change re-runs the check in a task.
struct RsvSetCheckSettings { std::string endpoints; std::string phase; };

// --- Results of RSV tasks ---
struct RsvLoaded {
  std::string path;
  std::shared_ptr<const RsvRelease> release;  // null: not readable (error says why)
  std::string error;
  std::vector<std::string> recent;
  std::string recent_error;
};
struct RsvChecked {
  uint64_t release_revision = 0;
  uint64_t settings_revision = 0;
  std::shared_ptr<const rsv::CheckReport> report;
};
struct RsvFramesDecoded {
  uint64_t release_revision = 0;
  std::string member;                              // member key
  std::vector<int> frames;                         // native frames asked for
  std::vector<std::shared_ptr<const RgbFrame>> rgb;  // by `frames`; null where decoding failed
  std::string error;                               // why (the first failure)
};
struct RsvPsnrCurve {
  uint64_t release_revision = 0;
  std::string item;
  std::vector<double> psnr_db;  // per native frame, PSNR(A[f], B[f]); +inf where equal
  std::string error;
};

}  // namespace idm::gui::cmd
