// Published copies of photos, videos and recordings carry no location, device or comment.
#include "publish/media.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <exiv2/exiv2.hpp>
#include <filesystem>
#include <fstream>

#include "vault/test_vault_dir.h"

namespace izde::publish {
namespace {

namespace fs = std::filesystem;

std::string Slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

void Ffmpeg(const std::string& args) {
  std::string cmd = "ffmpeg -nostdin -loglevel error -y " + args;
  ASSERT_EQ(std::system(cmd.c_str()), 0) << "ffmpeg is needed (scripts/install-deps): " << cmd;
}

const char* kCanaries[] = {"CanaryVideoComment", "+43.2567+076.9286", "CanaryPhoneModel",
                           "CanaryArtist"};

void ExpectClean(const std::string& bytes, const std::string& what) {
  for (const char* c : kCanaries)
    EXPECT_EQ(bytes.find(c), std::string::npos) << c << " in " << what;
}

TEST(Media, VideoLosesLocationAndComments) {
  vault::TestDir dir;
  const std::string in = dir / "in.mp4";
  Ffmpeg(
      "-f lavfi -i testsrc=size=64x48:rate=10 -f lavfi -i sine=frequency=440:sample_rate=8000 "
      "-t 0.5 -c:v mpeg4 -c:a aac -movflags use_metadata_tags -metadata "
      "location=+43.2567+076.9286/ "
      "-metadata comment=CanaryVideoComment -metadata artist=CanaryArtist "
      "-metadata:s:v:0 handler_name=CanaryPhoneModel " +
      in);
  const std::string original = Slurp(in);
  ASSERT_NE(original.find("CanaryVideoComment"), std::string::npos);  // the canary is there
  ASSERT_NE(original.find("+43.2567+076.9286"), std::string::npos);
  for (bool reencode : {false, true}) {
    const std::string out = dir / (reencode ? "re.mp4" : "copy.mp4");
    Status s = StripMedia(in, out, "video/mp4", reencode);
    ASSERT_TRUE(s.ok()) << s.message();
    const std::string bytes = Slurp(out);
    EXPECT_GT(bytes.size(), 1000u);
    ExpectClean(bytes, out);
  }
  EXPECT_EQ(Slurp(in), original);  // the input is left as it was
}

TEST(Media, PhotoLosesExifWhetherCopiedOrReencoded) {
  vault::TestDir dir;
  const std::string in = dir / "in.jpg";
  Ffmpeg("-f lavfi -i color=c=blue:s=16x16 -frames:v 1 " + in);
  {
    auto image = Exiv2::ImageFactory::open(in);
    image->readMetadata();
    image->exifData()["Exif.Image.Model"] = "CanaryPhoneModel";
    image->exifData()["Exif.GPSInfo.GPSLatitudeRef"] = "N";
    image->xmpData()["Xmp.dc.creator"] = "CanaryArtist";
    image->writeMetadata();
  }
  ASSERT_NE(Slurp(in).find("CanaryPhoneModel"), std::string::npos);
  for (bool reencode : {false, true}) {
    const std::string out = dir / (reencode ? "re.jpg" : "copy.jpg");
    Status s = StripMedia(in, out, "image/jpeg", reencode);
    ASSERT_TRUE(s.ok()) << s.message();
    ExpectClean(Slurp(out), out);
    auto image = Exiv2::ImageFactory::open(out);
    image->readMetadata();
    EXPECT_TRUE(image->exifData().empty());
    EXPECT_TRUE(image->xmpData().empty());
  }
  EXPECT_EQ(ExtensionOf("image/png", true), ".jpg");
  EXPECT_EQ(ExtensionOf("application/pdf", false), "");
}

TEST(Media, AFileThatIsNotWhatItSaysIsRefused) {
  vault::TestDir dir;
  const std::string in = dir / "fake.jpg";
  std::ofstream(in) << "not a picture at all";
  EXPECT_FALSE(StripMedia(in, dir / "out.jpg", "image/jpeg", false).ok());
  EXPECT_FALSE(fs::exists(dir / "out.jpg"));
  EXPECT_FALSE(StripMedia(in, dir / "out.mp4", "video/mp4", false).ok());
  EXPECT_FALSE(fs::exists(dir / "out.mp4"));
}

}  // namespace
}  // namespace izde::publish
