// `izde publish --out DIR`: the public static site and open files, from the vault in one
// step (src/publish; docs/formats/publish-site.md). Consent decides per record, the
// policy file (docs/formats/publish-policy.md) which fields may ever be public.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "cli/guard.h"
#include "cli/terminal.h"
#include "publish/publish_vault.h"

namespace izde::cli {
namespace {

struct PublishArgs {
  std::string out, policy, write_policy;
  std::vector<std::string> languages;
  bool no_media = false, reencode = false;
};

Result<publish::Policy> LoadPolicy(const std::string& path) {
  if (path.empty()) return publish::DefaultPolicy();
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read the policy file " + path);
  std::string text(std::istreambuf_iterator<char>(in), {});
  return publish::ParsePolicy(text, path);
}

Status Publish(const Context& ctx, const PublishArgs& a) {
  if (!a.write_policy.empty()) {
    if (std::filesystem::exists(a.write_policy))
      return Status::AlreadyExists(a.write_policy + " exists; not overwritten");
    std::ofstream f(a.write_policy, std::ios::binary);
    f << publish::DefaultPolicyText();
    if (!f) return Status::Io("cannot write " + a.write_policy);
    if (!ctx.quiet) std::cout << "Wrote the default policy to " << a.write_policy << "\n";
    if (a.out.empty()) return Status::Ok();
  }
  if (a.out.empty()) return Status::InvalidInput("give the site's folder with --out DIR");
  IZDE_ASSIGN_OR_RETURN(publish::Policy policy, LoadPolicy(a.policy));
  if (a.no_media) policy.media = false;
  if (a.reencode) policy.reencode_media = true;
  // Publishing reads every record once (Vault::ForEachOwned) and searches nothing: the
  // search index (every searchable record decrypted at unlock) is not loaded.
  IZDE_ASSIGN_OR_RETURN(auto v, ctx.Unlock(/*search_index=*/false));
  ProgressBar bar("Writing pages");
  publish::SiteOptions options;
  options.languages = a.languages;
  options.progress = [&bar](size_t d, size_t t) { bar.Update(d, t); };
  options.delete_previous_in_background = true;
  IZDE_ASSIGN_OR_RETURN(auto r, publish::PublishVault(*v, policy, a.out, options));
  bar.Finish();
  for (const auto& w : r.site.warnings) std::cerr << "warning: " << w << "\n";
  if (ctx.json) {
    PrintJson({{"out", a.out},
               {"people", r.site.people},
               {"records", r.site.records},
               {"verified_records", r.verified_records},
               {"files", r.site.files},
               {"bytes", r.site.bytes},
               {"media", r.site.media},
               {"index_terms", r.site.index_terms},
               {"index_keys", r.site.index_keys},
               {"index_bytes", r.site.index_bytes},
               {"warnings", r.site.warnings}});
  } else if (!ctx.quiet) {
    std::cout << "Published " << r.site.people << " people (" << r.site.records
              << " records, all verified against the log) to " << a.out << ": " << r.site.files
              << " files, " << r.site.media << " media files with metadata stripped.\n"
              << "Open " << a.out << "/index.html in a browser, or copy the folder to any web "
              << "host or USB stick. Verify with:\n  izde verify " << a.out
              << "/proof/bundle.json --key " << a.out << "/proof/log.pub\n";
    if (a.policy.empty())
      std::cout << "No --policy given: every field consent allows was published "
                   "(izde publish --write-policy publish.toml writes that policy to edit).\n";
  }
  return Status::Ok();
}

void AddPublishCommands(CLI::App& app, Context& ctx, Outcome& out) {
  auto a = std::make_shared<PublishArgs>();
  auto* cmd = app.add_subcommand(
      "publish", "Write the public website and open data files of what consent allows");
  cmd->add_option("--out", a->out, "The site's folder (new, empty, or an earlier izde site)");
  cmd->add_option("--policy", a->policy,
                  "publish.toml: which fields of which record kinds may ever be public");
  cmd->add_option("--write-policy", a->write_policy, "Write the default policy file to edit");
  cmd->add_option("--languages", a->languages, "Interface languages (default: kk ug ru en zh)")
      ->delimiter(',');
  cmd->add_flag("--no-media", a->no_media, "Publish no photo or video files, only their hashes");
  cmd->add_flag("--reencode-media", a->reencode,
                "Re-encode published photos and videos (metadata is always stripped)");
  cmd->callback(Guard(out, [&ctx, a] { return Publish(ctx, *a); }));
}

}  // namespace

IZDE_REGISTER_COMMANDS(72, AddPublishCommands);

}  // namespace izde::cli
