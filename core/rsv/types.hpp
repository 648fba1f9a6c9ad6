#pragma once
// Small value types shared by the Reasoning-Structured Videos (RSV) reader, checks and tools.
#include <string>
#include <vector>

namespace idm::rsv {

struct Vec3 {
  double x = 0.0;
  double y = 0.0;
  double z = 0.0;
};

// A camera pose as the metadata stores it: position in cm, rotation as UE FRotator
// (pitch, yaw, roll) in degrees, Z up.
struct Pose {
  Vec3 position_cm;
  Vec3 rotation_deg;  // x = pitch, y = yaw, z = roll
};

// E: the item cannot be checked; W: worth a look; N: for the record.
enum class Severity { Error, Warning, Note };

struct Diagnostic {
  Severity severity = Severity::Error;
  std::string file;     // relative to the release root, e.g. inverse_easy/run_1__traj_3_meta.json
  std::string pointer;  // JSON pointer without the leading slash (steps/12/actual_end_pos); may be empty
  std::string message;
};

// "inverse_easy/x_meta.json: steps/12/actual_end_pos: not an array of 3 numbers"
std::string diagnostic_line(const Diagnostic& diagnostic);
char severity_letter(Severity severity);

inline bool has_errors(const std::vector<Diagnostic>& diagnostics) {
  for (const Diagnostic& diagnostic : diagnostics) {
    if (diagnostic.severity == Severity::Error) return true;
  }
  return false;
}

}  // namespace idm::rsv
