#include "rsv_synth/world.hpp"

#include <algorithm>
#include <cmath>

namespace idm::rsv_synth {

namespace {

constexpr double kPi = 3.14159265358979323846;

uint32_t hash2(int32_t a, int32_t b, uint32_t salt) {
  uint32_t h = static_cast<uint32_t>(a) * 0x8DA6B343u ^ static_cast<uint32_t>(b) * 0xD8163841u ^ salt * 0xCB1AB31Fu;
  h ^= h >> 13;
  h *= 0x5BD1E995u;
  h ^= h >> 15;
  return h;
}

struct Rgb {
  float r, g, b;
};

const Rgb kFloorPalette[6] = {{176, 160, 130}, {150, 142, 120}, {190, 178, 150}, {128, 136, 118}, {168, 150, 140}, {140, 128, 104}};
const Rgb kWallPalette[5] = {{200, 90, 70}, {70, 120, 190}, {220, 200, 90}, {90, 170, 110}, {170, 110, 180}};

// std::floor is a library call on baseline x86-64 (no SSE4.1 round); this is the hot loop.
inline int64_t fast_floor(double x) {
  int64_t i = static_cast<int64_t>(x);
  return i - (x < static_cast<double>(i) ? 1 : 0);
}

Rgb mix(Rgb a, Rgb b, float t) { return {a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t}; }

}  // namespace

bool inside_arena(const World& world, const rsv::Vec3& position_cm, double margin_cm) {
  return std::fabs(position_cm.x - world.center_x_cm) <= world.half_size_cm - margin_cm &&
         std::fabs(position_cm.y - world.center_y_cm) <= world.half_size_cm - margin_cm;
}

void render_view(const World& world, const rsv::Pose& pose, int width, int height, bool changed_scene,
                 std::vector<uint8_t>& rgb) {
  rgb.resize(static_cast<size_t>(width) * height * 3);
  const double yaw = pose.rotation_deg.y * kPi / 180.0;
  const double pitch = pose.rotation_deg.x * kPi / 180.0;
  // Camera basis: forward (pitched), right (horizontal), up.
  const double fx = std::cos(pitch) * std::cos(yaw), fy = std::cos(pitch) * std::sin(yaw), fz = std::sin(pitch);
  const double rx = -std::sin(yaw), ry = std::cos(yaw);
  const double ux = -std::sin(pitch) * std::cos(yaw), uy = -std::sin(pitch) * std::sin(yaw), uz = std::cos(pitch);
  const double tan_half = std::tan(world.fov_deg * 0.5 * kPi / 180.0);
  const double ex = pose.position_cm.x, ey = pose.position_cm.y, ez = pose.position_cm.z + world.eye_above_root_cm;
  const double x_low = world.center_x_cm - world.half_size_cm, x_high = world.center_x_cm + world.half_size_cm;
  const double y_low = world.center_y_cm - world.half_size_cm, y_high = world.center_y_cm + world.half_size_cm;
  const double wall_top = world.floor_z_cm + world.wall_height_cm;
  const Rgb far_floor = {160, 150, 128};
  const uint32_t salt = changed_scene ? 977u : 0u;
  const Rgb tint = changed_scene ? Rgb{1.25f, 0.75f, 0.7f} : Rgb{1.0f, 1.0f, 1.0f};
  for (int py = 0; py < height; ++py) {
    const double v = (1.0 - 2.0 * (py + 0.5) / height) * tan_half * height / width;
    uint8_t* out = rgb.data() + static_cast<size_t>(py) * width * 3;
    // The right vector is horizontal, so a row's rays share dz: one floor distance per row.
    const double dz = fz + v * uz;
    const double t_floor = dz < -1e-12 ? (world.floor_z_cm - ez) / dz : -1.0;
    for (int px = 0; px < width; ++px) {
      const double u = (2.0 * (px + 0.5) / width - 1.0) * tan_half;
      const double dx = fx + u * rx + v * ux, dy = fy + u * ry + v * uy;
      Rgb colour;
      const double hx = ex + t_floor * dx, hy = ey + t_floor * dy;
      // The arena is convex and the eye inside it: a floor point inside the walls is seen.
      if (t_floor > 0.0 && hx > x_low && hx < x_high && hy > y_low && hy < y_high) {
        const int64_t tx = fast_floor(hx * 0.01), ty = fast_floor(hy * 0.01);
        const double frac_x = hx * 0.01 - static_cast<double>(tx), frac_y = hy * 0.01 - static_cast<double>(ty);
        uint32_t h = hash2(static_cast<int32_t>(tx), static_cast<int32_t>(ty), salt);
        colour = kFloorPalette[h % 6];
        // Large-scale pattern so distant parts of the floor differ too.
        if ((fast_floor(hx * 0.002) + fast_floor(hy * 0.002)) & 1) {
          colour = {colour.r * 0.8f, colour.g * 0.85f, colour.b * 0.9f};
        }
        if (frac_x < 0.04 || frac_x > 0.96 || frac_y < 0.04 || frac_y > 0.96) colour = {70, 66, 60};
        // Distance fade: far tiles blend into their average instead of aliasing. |d|^2 = 1 + u^2 + v^2.
        const double distance_squared = t_floor * t_floor * (1.0 + u * u + v * v);
        if (distance_squared > 1200.0 * 1200.0) colour = mix(colour, far_floor, static_cast<float>(std::min((std::sqrt(distance_squared) - 1200.0) / 2500.0, 1.0)));
      } else {
        // Nearest wall along the ray (the arena is closed, so one is always hit horizontally).
        double t_wall = 1e30;
        int wall = 0;
        double along = 0.0;
        if (dx > 1e-12) { double t = (x_high - ex) / dx; if (t < t_wall) { t_wall = t; wall = 0; along = ey + t * dy; } }
        if (dx < -1e-12) { double t = (x_low - ex) / dx; if (t < t_wall) { t_wall = t; wall = 1; along = ey + t * dy; } }
        if (dy > 1e-12) { double t = (y_high - ey) / dy; if (t < t_wall) { t_wall = t; wall = 2; along = ex + t * dx; } }
        if (dy < -1e-12) { double t = (y_low - ey) / dy; if (t < t_wall) { t_wall = t; wall = 3; along = ex + t * dx; } }
        const double hz = ez + t_wall * dz;
        if (hz <= wall_top) {
          const double height_cm = hz - world.floor_z_cm;
          const int64_t panel = fast_floor(along / 250.0);
          uint32_t h = hash2(static_cast<int32_t>(panel), wall, salt + 7u);
          colour = kWallPalette[h % 5];
          if (height_cm > 120.0 && height_cm < 160.0) colour = {60, 60, 70};
          if (height_cm > 520.0) colour = mix(colour, Rgb{240, 240, 235}, 0.6f);
          if (along - 250.0 * static_cast<double>(panel) < 12.0) colour = {40, 40, 44};
        } else {
          const double elevation = dz / std::sqrt(1.0 + u * u + v * v);
          float t = static_cast<float>(std::clamp(elevation * 2.0, 0.0, 1.0));
          colour = mix(Rgb{200, 220, 240}, Rgb{70, 120, 200}, t);
        }
      }
      out[0] = static_cast<uint8_t>(std::clamp(colour.r * tint.r, 0.0f, 255.0f));
      out[1] = static_cast<uint8_t>(std::clamp(colour.g * tint.g, 0.0f, 255.0f));
      out[2] = static_cast<uint8_t>(std::clamp(colour.b * tint.b, 0.0f, 255.0f));
      out += 3;
    }
  }
}

}  // namespace idm::rsv_synth
