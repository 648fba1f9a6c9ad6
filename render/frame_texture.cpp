#include "frame_texture.hpp"

#define GL_GLEXT_PROTOTYPES 1
#include <GL/gl.h>
#include <GL/glext.h>

#include <cstdio>

namespace idm::render {

namespace {

// One triangle that covers the target; no vertex buffer needed.
constexpr const char* kVertexShader = R"(#version 330 core
void main() {
  vec2 corner = vec2(float((gl_VertexID << 1) & 2), float(gl_VertexID & 2));
  gl_Position = vec4(corner * 2.0 - 1.0, 0.0, 1.0);
}
)";

// Same formula as yuv420_to_rgba in core/video/frame_pixels.cpp: chroma sample (x/2, y/2).
// Fragment (x, y) writes texture row y, and row 0 is the image's top row, as uploaded.
constexpr const char* kFragmentShader = R"(#version 330 core
uniform sampler2D plane_y;
uniform sampler2D plane_u;
uniform sampler2D plane_v;
uniform vec2 luma_offset_scale;
uniform float chroma_scale;
uniform vec4 coefficients;  // R from Cr, G from Cb, G from Cr, B from Cb
out vec4 colour;
void main() {
  ivec2 at = ivec2(gl_FragCoord.xy);
  float luma = (texelFetch(plane_y, at, 0).r * 255.0 - luma_offset_scale.x) * luma_offset_scale.y;
  float cb = (texelFetch(plane_u, at / 2, 0).r * 255.0 - 128.0) * chroma_scale;
  float cr = (texelFetch(plane_v, at / 2, 0).r * 255.0 - 128.0) * chroma_scale;
  vec3 rgb = vec3(luma + coefficients.x * cr, luma - coefficients.y * cb - coefficients.z * cr, luma + coefficients.w * cb);
  colour = vec4(clamp(rgb, 0.0, 1.0), 1.0);
}
)";

GLuint compile(GLenum kind, const char* source, const char*& error) {
  GLuint shader = glCreateShader(kind);
  glShaderSource(shader, 1, &source, nullptr);
  glCompileShader(shader);
  GLint ok = 0;
  glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
  if (!ok) {
    char log[1024] = {0};
    glGetShaderInfoLog(shader, sizeof log, nullptr, log);
    std::fprintf(stderr, "idmscope: YUV shader does not compile: %s\n", log);
    error = "the YUV shader does not compile on this GPU";
    glDeleteShader(shader);
    return 0;
  }
  return shader;
}

// Everything the conversion pass changes, put back afterwards so ImGui's state is untouched.
struct SavedState {
  GLint framebuffer = 0, program = 0, vertex_array = 0, active_texture = 0, unpack_alignment = 4;
  GLint viewport[4] = {0, 0, 0, 0};
  GLint textures[3] = {0, 0, 0};
  GLboolean blend = GL_FALSE, scissor = GL_FALSE, depth = GL_FALSE;
  SavedState() {
    glGetIntegerv(GL_FRAMEBUFFER_BINDING, &framebuffer);
    glGetIntegerv(GL_CURRENT_PROGRAM, &program);
    glGetIntegerv(GL_VERTEX_ARRAY_BINDING, &vertex_array);
    glGetIntegerv(GL_ACTIVE_TEXTURE, &active_texture);
    glGetIntegerv(GL_UNPACK_ALIGNMENT, &unpack_alignment);
    glGetIntegerv(GL_VIEWPORT, viewport);
    for (int unit = 0; unit < 3; ++unit) {
      glActiveTexture(GL_TEXTURE0 + static_cast<GLenum>(unit));
      glGetIntegerv(GL_TEXTURE_BINDING_2D, &textures[unit]);
    }
    blend = glIsEnabled(GL_BLEND);
    scissor = glIsEnabled(GL_SCISSOR_TEST);
    depth = glIsEnabled(GL_DEPTH_TEST);
  }
  ~SavedState() {
    for (int unit = 0; unit < 3; ++unit) {
      glActiveTexture(GL_TEXTURE0 + static_cast<GLenum>(unit));
      glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(textures[unit]));
    }
    glActiveTexture(static_cast<GLenum>(active_texture));
    glBindFramebuffer(GL_FRAMEBUFFER, static_cast<GLuint>(framebuffer));
    glUseProgram(static_cast<GLuint>(program));
    glBindVertexArray(static_cast<GLuint>(vertex_array));
    glPixelStorei(GL_UNPACK_ALIGNMENT, unpack_alignment);
    glViewport(viewport[0], viewport[1], viewport[2], viewport[3]);
    if (blend) glEnable(GL_BLEND);
    if (scissor) glEnable(GL_SCISSOR_TEST);
    if (depth) glEnable(GL_DEPTH_TEST);
  }
};

}  // namespace

FrameTexture::~FrameTexture() {
  if (program_) glDeleteProgram(program_);
  if (vertex_array_) glDeleteVertexArrays(1, &vertex_array_);
  if (framebuffer_) glDeleteFramebuffers(1, &framebuffer_);
  for (unsigned& plane : planes_) {
    if (plane) glDeleteTextures(1, &plane);
  }
}

bool FrameTexture::ensure_program() {
  if (program_) return true;
  if (error_) return false;  // failed before: do not retry every frame
  GLuint vertex = compile(GL_VERTEX_SHADER, kVertexShader, error_);
  GLuint fragment = vertex ? compile(GL_FRAGMENT_SHADER, kFragmentShader, error_) : 0;
  if (!vertex || !fragment) {
    if (vertex) glDeleteShader(vertex);
    return false;
  }
  GLuint program = glCreateProgram();
  glAttachShader(program, vertex);
  glAttachShader(program, fragment);
  glLinkProgram(program);
  glDeleteShader(vertex);
  glDeleteShader(fragment);
  GLint linked = 0;
  glGetProgramiv(program, GL_LINK_STATUS, &linked);
  if (!linked) {
    glDeleteProgram(program);
    error_ = "the YUV shader does not link on this GPU";
    return false;
  }
  program_ = program;
  glGenVertexArrays(1, &vertex_array_);
  glGenFramebuffers(1, &framebuffer_);
  return true;
}

void FrameTexture::upload_plane(unsigned& id, const uint8_t* pixels, int width, int height) {
  int slot = static_cast<int>(&id - planes_);
  if (!id) {
    glGenTextures(1, &id);
    glBindTexture(GL_TEXTURE_2D, id);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  }
  glBindTexture(GL_TEXTURE_2D, id);
  if (plane_sizes_[slot][0] != width || plane_sizes_[slot][1] != height) {
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, width, height, 0, GL_RED, GL_UNSIGNED_BYTE, pixels);
    plane_sizes_[slot][0] = width;
    plane_sizes_[slot][1] = height;
  } else {
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, width, height, GL_RED, GL_UNSIGNED_BYTE, pixels);
  }
}

bool FrameTexture::upload(const CachedFrame& frame) {
  if (frame.pixels == FramePixels::Rgba) {
    rgba_.upload(frame.rgba.data(), frame.width, frame.height);
    return true;
  }
  SavedState saved;
  if (!ensure_program()) return false;
  if (rgba_.width() != frame.width || rgba_.height() != frame.height) rgba_.upload(nullptr, frame.width, frame.height);

  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);  // planes are packed; odd widths have no row padding
  glActiveTexture(GL_TEXTURE0);
  upload_plane(planes_[0], frame.y_plane(), frame.width, frame.height);
  glActiveTexture(GL_TEXTURE1);
  upload_plane(planes_[1], frame.u_plane(), frame.chroma_width(), frame.chroma_height());
  glActiveTexture(GL_TEXTURE2);
  upload_plane(planes_[2], frame.v_plane(), frame.chroma_width(), frame.chroma_height());

  glBindFramebuffer(GL_FRAMEBUFFER, framebuffer_);
  glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, rgba_.id(), 0);
  if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE) {
    error_ = "cannot render into the frame texture";
    return false;
  }
  glDisable(GL_BLEND);
  glDisable(GL_SCISSOR_TEST);
  glDisable(GL_DEPTH_TEST);
  glViewport(0, 0, frame.width, frame.height);
  glUseProgram(program_);
  const YuvMatrix& m = frame.matrix;
  const float kg = 1.0f - m.kr - m.kb;
  glUniform1i(glGetUniformLocation(program_, "plane_y"), 0);
  glUniform1i(glGetUniformLocation(program_, "plane_u"), 1);
  glUniform1i(glGetUniformLocation(program_, "plane_v"), 2);
  glUniform2f(glGetUniformLocation(program_, "luma_offset_scale"), m.full_range ? 0.0f : 16.0f,
              m.full_range ? 1.0f / 255.0f : 1.0f / 219.0f);
  glUniform1f(glGetUniformLocation(program_, "chroma_scale"), m.full_range ? 1.0f / 255.0f : 1.0f / 224.0f);
  glUniform4f(glGetUniformLocation(program_, "coefficients"), 2.0f * (1.0f - m.kr), 2.0f * m.kb * (1.0f - m.kb) / kg,
              2.0f * m.kr * (1.0f - m.kr) / kg, 2.0f * (1.0f - m.kb));
  glBindVertexArray(vertex_array_);
  glDrawArrays(GL_TRIANGLES, 0, 3);
  return true;
}

void FrameTexture::read_back(std::vector<uint8_t>& rgba_out) const {
  rgba_out.assign(static_cast<size_t>(rgba_.width()) * rgba_.height() * 4, 0);
  if (rgba_.empty()) return;
  GLint bound = 0, alignment = 4;
  glGetIntegerv(GL_TEXTURE_BINDING_2D, &bound);
  glGetIntegerv(GL_PACK_ALIGNMENT, &alignment);
  glBindTexture(GL_TEXTURE_2D, rgba_.id());
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glGetTexImage(GL_TEXTURE_2D, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba_out.data());  // row 0 is the top row
  glPixelStorei(GL_PACK_ALIGNMENT, alignment);
  glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(bound));
}

}  // namespace idm::render
