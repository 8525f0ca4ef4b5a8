#include "publish/publish_vault.h"

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
  IZDE_ASSIGN_OR_RETURN(auto bundle, vault::BuildPublicBundle(vault, PublicationOptionsOf(policy)));
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
