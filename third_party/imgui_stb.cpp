// Build glue for Debian's Dear ImGui 1.86 (libimgui-dev).
// libimgui.a is compiled against the system stb headers and takes stb_truetype and
// stb_rect_pack from libstb. But libstb builds stb_truetype without stb_rect_pack in view, so
// stbtt_PackBegin allocates stb_truetype's small fallback packing context, which ImGui then
// hands to the real stbrp_pack_rects: the font atlas build divides by zero (SIGFPE). Compiling
// the same Debian headers here, the rect packer first so stb_truetype uses it, gives the
// program consistent definitions that the linker prefers to libstb's.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wall"
#pragma GCC diagnostic ignored "-Wextra"
#pragma GCC diagnostic ignored "-Wunused-function"
#define STB_RECT_PACK_IMPLEMENTATION
#include <stb_rect_pack.h>
#define STB_TRUETYPE_IMPLEMENTATION
#include <stb_truetype.h>
#pragma GCC diagnostic pop
