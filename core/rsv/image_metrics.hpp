#pragma once
// Pixel metrics on packed 8-bit RGB (rsv.md §5): MSE over 3*W*H values, PSNR, SSIM.
#include <cstddef>
#include <cstdint>

namespace idm::rsv {

constexpr double kPsnrCapDb = 100.0;  // written for "inf" (JSON has no infinity) and the cap inside means

double mse_rgb24(const uint8_t* a, const uint8_t* b, size_t width, size_t height);
// 10 log10(255^2 / mse); +infinity when mse is 0.
double psnr_from_mse(double mse);
double capped_psnr(double psnr_db);  // min(psnr, 100)

// Wang et al. 2004: 11x11 Gaussian window (sigma 1.5), K1 0.01, K2 0.03, L 255, per RGB
// channel over the windows that fit inside the image, mean of the map, averaged over channels.
// Images smaller than 11x11 use the whole image as one window.
double ssim_rgb24(const uint8_t* a, const uint8_t* b, int width, int height);

}  // namespace idm::rsv
