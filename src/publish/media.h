// Published copies of consented photos, videos and recordings, with their metadata
// (GPS position, camera and phone model, owner, dates, comments) removed: exiv2 for
// images, ffmpeg for video and audio. Optionally re-encoded. The original stays in the
// vault, sealed, with its metadata, for the chain of custody.
#pragma once

#include <string>

#include "base/status.h"

namespace izde::publish {

enum class MediaKind { kImage, kVideo, kAudio, kUnsupported };

MediaKind KindOfMediaType(const std::string& media_type);
// ".jpg", ".mp4", ...: the extension of the published copy ("" when unsupported).
std::string ExtensionOf(const std::string& media_type, bool reencode);

// Rewrites `in` (a private copy of the original) as `out` without metadata. With
// `reencode`, images become JPEG and videos H.264/AAC MP4 (audio: Opus in Ogg).
Status StripMedia(const std::string& in, const std::string& out, const std::string& media_type,
                  bool reencode);

}  // namespace izde::publish
