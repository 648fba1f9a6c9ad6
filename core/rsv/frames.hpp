#pragma once
// Which pose a video frame shows (rsv.md §4) and which frames an endpoint policy compares.
// [ASSUMED] frame_phase: the card says frame i belongs to step floor(i/9), not where inside
// the step it is; `start` (default) = frame 9k+j shows the pose j/9 through step k.
#include <optional>
#include <string>
#include <vector>

#include "rsv/meta.hpp"

namespace idm::rsv {

enum class FramePhase { Start, End, Inclusive };
enum class EndpointKind { VideoEnds, Closure, Explicit };

struct EndpointPolicy {
  EndpointKind kind = EndpointKind::VideoEnds;
  int start_frame = 0;  // Explicit only
  int end_frame = 0;
};

const char* phase_name(FramePhase phase);
std::optional<FramePhase> parse_phase(const std::string& text);
std::string endpoint_policy_name(const EndpointPolicy& policy);  // video-ends | closure | S,E
std::optional<EndpointPolicy> parse_endpoint_policy(const std::string& text);

// Fraction of step k shown by frame 9k+j (0 = the step's start pose, 1 = its end).
double phase_fraction(int frame_in_step, int frames_per_step, FramePhase phase);

// Linear interpolation from a step's start pose to its actual end (yaw and pitch along the
// wrapped difference).
Pose interpolate(const StepRecord& step, double fraction);

// The pose each of the steps x frames_per_step frames shows. Needs meta.steps_valid.
std::vector<Pose> shown_poses(const RsvMeta& meta, FramePhase phase);

// Same pose within `cm` and `deg` (angles compared wrapped).
bool same_pose(const Pose& a, const Pose& b, double cm, double deg);

// The closure frames of one trajectory: the first frame that shows the root (looked for until
// the path first leaves it) and the first of the final run of frames that show the last pose;
// nullopt when no frame shows it.
struct ClosureFrames {
  std::optional<int> root_frame;
  std::optional<int> final_frame;
};
ClosureFrames closure_frames(const RsvMeta& meta, FramePhase phase);

}  // namespace idm::rsv
