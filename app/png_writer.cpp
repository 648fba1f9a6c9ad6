#include "png_writer.hpp"

// The one translation unit that holds stb_image_write's implementation; it is third-party
// C code, so its warnings are not ours to fix.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wall"
#pragma GCC diagnostic ignored "-Wextra"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb_image_write.h>
#pragma GCC diagnostic pop

namespace idm::cli {

bool write_png_rgba(const std::string& path, int width, int height, int stride_bytes, const uint8_t* rgba) {
  return stbi_write_png(path.c_str(), width, height, 4, rgba, stride_bytes) != 0;
}

}  // namespace idm::cli
