#include "publish/publish_vault.h"

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
  // keeping only the fields they use (report/holdings.h, StatisticsCopy).
  report::Holdings holdings;
  vault::PublicationOptions publication = PublicationOptionsOf(policy);
  publication.also_read = [&holdings](const vault::OpenedVersion& v) {
    return report::AddToHoldings(holdings, report::StatisticsCopy(v));
  };
  IZDE_ASSIGN_OR_RETURN(auto bundle, vault::BuildPublicBundle(vault, publication));
  report::FinishHoldings(holdings);
  options.statistics.undocumented = report::EstimateUndocumented(holdings);
  options.statistics.clusters = std::move(holdings.clusters);
  // Publish nothing that a third party could not verify.
  auto key = ledger::NoteVerifier::Parse(bundle.log_key);
  if (!key.ok()) return key.status().Within("the vault's log key");
  auto check = ledger::VerifyBundle(bundle, {*key, "", {}, 0});
  if (!check.ok()) return check.status().Within("the public bundle does not verify");
  if (!options.extract_media)
    options.extract_media = [&vault](const std::string& id, const std::string& path) {
      return vault.ExtractEvidence(id, path);
    };
  PublishResult result;
  result.verified_records = check->records;
  IZDE_ASSIGN_OR_RETURN(result.site, WriteSite(bundle, policy, out_dir, options));
  return result;
}

}  // namespace izde::publish
