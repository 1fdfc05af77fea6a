/* Where the time of one thumbnail goes, in bare MagickWand (no plugin around it): read with the
 * jpeg:size hint, Lanczos resize, JPEG encode, one thread, 12 rounds.
 *   gcc benchmarks/image/breakdown.c -o /tmp/breakdown $(pkg-config --cflags --libs MagickWand)
 *   /tmp/breakdown /tmp/mw-image-bench/photo-24mp.jpg /tmp/breakdown.jpg                        */
#include <stdio.h>
#include <time.h>
#include <wand/MagickWand.h>

static double now_ms(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
  if (argc != 3) {
    fprintf(stderr, "usage: %s input.jpg output.jpg\n", argv[0]);
    return 2;
  }
  MagickWandGenesis();
  MagickSetResourceLimit(ThreadResource, 1);
  for (int i = 0; i < 12; i++) {
    double t0 = now_ms();
    MagickWand *wand = NewMagickWand();
    MagickSetOption(wand, "jpeg:size", "320x213");
    if (MagickReadImage(wand, argv[1]) == MagickFalse)
      return 1;
    double t1 = now_ms();
    MagickAutoOrientImage(wand);
    MagickResizeImage(wand, 320, 213, LanczosFilter, 1.0);
    double t2 = now_ms();
    MagickSetImageCompressionQuality(wand, 85);
    MagickWriteImage(wand, argv[2]);
    double t3 = now_ms();
    DestroyMagickWand(wand);
    printf("read_ms=%.1f resize_ms=%.1f write_ms=%.1f total_ms=%.1f\n", t1 - t0, t2 - t1, t3 - t2, t3 - t0);
  }
  MagickWandTerminus();
  return 0;
}
