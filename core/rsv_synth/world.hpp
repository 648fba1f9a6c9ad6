#pragma once
// The synthetic RSV world: a walled square arena with a tiled floor and a sky, seen through a
// pinhole camera (79 deg horizontal FOV, eye 148 cm above the floor), rendered on the CPU by
// casting one ray per pixel. Deterministic: the same pose gives the same bytes.
#include <cstdint>
#include <vector>

#include "rsv/types.hpp"

namespace idm::rsv_synth {

struct World {
  double center_x_cm = -1490.0;
  double center_y_cm = 1200.0;
  double half_size_cm = 3500.0;   // walls at center +- half_size
  double floor_z_cm = 312.0;      // root z 400 is the capsule centre, 88 cm above the floor
  double eye_above_root_cm = 60.0;  // camera 60 cm above the capsule centre: 148 cm above the floor
  double wall_height_cm = 700.0;
  double fov_deg = 79.0;
};

// Renders the view from `pose` (position of the capsule centre, FRotator degrees) as packed
// RGB (width*height*3). `changed_scene` recolours the world (a planted Layer 2 failure).
void render_view(const World& world, const rsv::Pose& pose, int width, int height, bool changed_scene,
                 std::vector<uint8_t>& rgb);

// True when the pose stays `margin_cm` inside the walls.
bool inside_arena(const World& world, const rsv::Vec3& position_cm, double margin_cm);

}  // namespace idm::rsv_synth
