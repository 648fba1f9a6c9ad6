// A build without the viewer (-DIDMSCOPE_GUI=OFF: no GL, GLFW or ImGui): the commands that
// need a window or OpenGL say so and exit 2, "cannot run here".
#include <cstdio>

#include "cli_commands.hpp"
#include "overlay_export_request.hpp"

namespace idm::cli {

namespace {

int without_viewer(const char* what) {
  std::fprintf(stderr,
               "idmscope: %s needs the viewer, and this idmscope was built without it (-DIDMSCOPE_GUI=OFF); "
               "build with the viewer on a machine with OpenGL\n",
               what);
  return 2;
}

}  // namespace

int run_view(int, char**, int) { return without_viewer("the viewer"); }
int run_keys(int, char**) { return without_viewer("`idmscope keys` (the viewer's key codes)"); }
int run_overlay_export(const OverlayExportRequest&) { return without_viewer("the MP4/PNG overlay export"); }

}  // namespace idm::cli
