#include "publish/media.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <exiv2/exiv2.hpp>
#include <filesystem>
#include <vector>

extern char** environ;

namespace izde::publish {
namespace {

// Runs a program with arguments (no shell), its output discarded.
Status Run(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0)
    return Status::NotFound(args[0] + " is not installed (scripts/install-deps installs it)");
  int status = 0;
  if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return Status::InvalidInput(args[0] + " could not process the file");
  return Status::Ok();
}

Status StripImageInPlace(const std::string& path) {
  try {
    auto image = Exiv2::ImageFactory::open(path);
    if (!image.get()) return Status::InvalidInput("not an image exiv2 can read");
    image->readMetadata();
    image->clearMetadata();  // Exif (GPS, device), IPTC, XMP, comment, ICC profile
    image->writeMetadata();
  } catch (const Exiv2::AnyError& e) {
    return Status::InvalidInput(std::string("exiv2: ") + e.what());
  }
  return Status::Ok();
}

}  // namespace

MediaKind KindOfMediaType(const std::string& t) {
  if (t == "image/jpeg" || t == "image/png" || t == "image/webp" || t == "image/tiff")
    return MediaKind::kImage;
  if (t.rfind("video/", 0) == 0) return MediaKind::kVideo;
  if (t.rfind("audio/", 0) == 0) return MediaKind::kAudio;
  return MediaKind::kUnsupported;
}

std::string ExtensionOf(const std::string& t, bool reencode) {
  switch (KindOfMediaType(t)) {
    case MediaKind::kImage:
      if (reencode || t == "image/jpeg") return ".jpg";
      return t == "image/png" ? ".png" : t == "image/webp" ? ".webp" : ".tiff";
    case MediaKind::kVideo:
      if (reencode || t == "video/mp4") return ".mp4";
      return t == "video/webm" ? ".webm" : t == "video/quicktime" ? ".mov" : ".mkv";
    case MediaKind::kAudio:
      if (reencode || t == "audio/ogg") return ".ogg";
      return t == "audio/mpeg" ? ".mp3" : t == "audio/mp4" ? ".m4a" : ".mka";
    case MediaKind::kUnsupported:
      break;
  }
  return "";
}

Status StripMedia(const std::string& in, const std::string& out, const std::string& media_type,
                  bool reencode) {
  namespace fs = std::filesystem;
  const MediaKind kind = KindOfMediaType(media_type);
  std::error_code ec;
  fs::remove(out, ec);
  if (kind == MediaKind::kImage && !reencode) {
    fs::copy_file(in, out, ec);
    if (ec) return Status::Io("cannot copy to " + out + ": " + ec.message());
    Status s = StripImageInPlace(out);
    if (!s.ok()) fs::remove(out, ec);
    return s;
  }
  if (kind == MediaKind::kUnsupported)
    return Status::InvalidInput("media type " + media_type + " is not published as a file");
  std::vector<std::string> args = {"ffmpeg", "-nostdin", "-loglevel",     "error", "-y",
                                   "-i",     in,         "-map_metadata", "-1",    "-map_chapters",
                                   "-1",     "-fflags",  "+bitexact"};
  if (kind == MediaKind::kImage) {
    args.insert(args.end(), {"-frames:v", "1", "-q:v", "3"});
  } else if (kind == MediaKind::kVideo) {
    args.insert(args.end(), {"-map", "0:v:0?", "-map", "0:a?", "-flags:v", "+bitexact", "-flags:a",
                             "+bitexact"});
    if (reencode)
      args.insert(args.end(), {"-c:v", "libx264", "-crf", "23", "-preset", "veryfast", "-c:a",
                               "aac", "-movflags", "+faststart"});
    else
      args.insert(args.end(), {"-c", "copy"});
  } else {
    args.insert(args.end(), {"-map", "0:a:0", "-flags:a", "+bitexact"});
    if (reencode)
      args.insert(args.end(), {"-c:a", "libopus"});
    else
      args.insert(args.end(), {"-c", "copy"});
  }
  args.push_back(out);
  Status s = Run(args);
  if (!s.ok()) fs::remove(out, ec);
  if (s.ok() && kind == MediaKind::kImage) return StripImageInPlace(out);
  return s;
}

}  // namespace izde::publish
