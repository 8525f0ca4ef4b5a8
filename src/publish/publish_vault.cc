#include "publish/publish_vault.h"

#include "identity/vault_view.h"
#include "report/holdings.h"
#include "report/undocumented.h"

namespace izde::publish {

vault::PublicationOptions PublicationOptionsOf(const Policy& policy) {
  vault::PublicationOptions o;
  o.field_allowed = [policy](model::RecordType type, std::string_view field) {
    return policy.Allows(type, field);
  };
  o.relations = policy.fields.count(model::RecordType::kRelation) > 0;
  return o;
}

Result<PublishResult> PublishVault(vault::Vault& vault, const Policy& policy,
                                   const std::string& out_dir, SiteOptions options) {
  // The statistics page counts people (identity clusters) and shows the estimate of the
  // undocumented: both read from the same pass over the vault that builds the bundle,
  // keeping only the records and fields they use (report::StatisticsCopy).
  PhaseClock clock;
  identity::VaultView view;
  vault::PublicationOptions publication = PublicationOptionsOf(policy);
  publication.also_read = [&view](const vault::OpenedVersion& v) {
    switch (v.record.type) {
      case model::RecordType::kPerson:
      case model::RecordType::kEvent:
      case model::RecordType::kSource:
      case model::RecordType::kTestimony:
      case model::RecordType::kLink:
        return view.Add(report::StatisticsCopy(v));
      default:
        return Status::Ok();
    }
  };
  IZDE_ASSIGN_OR_RETURN(auto bundle, vault::BuildPublicBundle(vault, publication));
  clock.Lap("bundle");
  // Computed by WriteSite beside the other files; only the statistics page waits for it.
  options.compute_statistics = [&view] {
    view.Finish();
    SiteStatistics s;
    s.clusters = identity::IdentityClusters::Build(view.PersonIds(), view.DecisionList());
    s.undocumented = report::EstimateUndocumented(view, s.clusters);
    view = {};
    return s;
  };
  // Publish nothing that a third party could not verify: WriteSite puts the site in
  // place only if this succeeds.
  auto key = ledger::NoteVerifier::Parse(bundle.log_key);
  if (!key.ok()) return key.status().Within("the vault's log key");
  PublishResult result;
  options.verify = [&]() -> Status {
    auto check = ledger::VerifyBundle(bundle, {*key, "", {}, 0});
    if (!check.ok()) return check.status().Within("the public bundle does not verify");
    result.verified_records = check->records;
    return Status::Ok();
  };
  if (!options.extract_media)
    options.extract_media = [&vault](const std::string& id, const std::string& path) {
      return vault.ExtractEvidence(id, path);
    };
  IZDE_ASSIGN_OR_RETURN(result.site, WriteSite(bundle, policy, out_dir, options));
  result.site.phases.insert(result.site.phases.begin(), clock.phases.begin(), clock.phases.end());
  return result;
}

}  // namespace izde::publish
