#pragma once
// Writes packed RGBA pixels as a PNG file (stb_image_write).
#include <cstdint>
#include <string>

namespace idm::cli {

bool write_png_rgba(const std::string& path, int width, int height, int stride_bytes, const uint8_t* rgba);

}  // namespace idm::cli
