//! `GET /api/vpn/cryptomaps/{nameif}/entries` (issue 15): the entries of the crypto map
//! applied to an interface, as a public client reads them (it addresses crypto maps by
//! interface, and takes a 404 for "no map on that interface"). The entries themselves are
//! written through `/api/vpn/cryptomaps`.

use cli_translator::resources::Resource;
use cli_translator::resources::vpn::crypto_map::CryptoMapEntry;

use super::Call;
use crate::api::error::ApiError;
use crate::api::paging;
use crate::api::response::ApiResponse;

/// Lists the entries of the map bound to `nameif`; 404 when none is.
pub async fn entries_of_interface(call: &Call<'_>, nameif: &str) -> Result<ApiResponse, ApiError> {
    let snap = call.snapshot().await?;
    let cfg = &snap.config;
    let binding = cfg
        .crypto_map_interfaces
        .get(nameif)
        .ok_or_else(|| ApiError::ObjectNotFound(nameif.to_owned()))?;
    let entries: Vec<&CryptoMapEntry> = cfg
        .crypto_map_entries
        .iter()
        .filter(|e| e.map == binding.map)
        .collect();
    let path = format!(
        "{}/{}/entries",
        CryptoMapEntry::PATH,
        cli_translator::resources::reference::encode_segment(nameif)
    );
    Ok(paging::page(
        call,
        CryptoMapEntry::COLLECTION_KIND,
        &path,
        &entries,
        |_, e| e.to_json(&call.origin.item_url(CryptoMapEntry::PATH, e.object_id())),
    ))
}
