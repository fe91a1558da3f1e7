//! The daemon's HTTPS certificate follows `ssl trust-point` (issue 15): a LINA subscription
//! whose every generation push asks LINA for the trust-point's certificate chain and key and
//! swaps them into the rustls resolver ([`crate::tls::SwitchableCert`]); the next handshake
//! presents them. Without a usable trust-point the daemon's own certificate is served.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cli_translator::protocol::HttpsIdentity;
use tokio::time::{sleep, timeout};

use crate::lina_client::{LinaAddr, LinaClient};
use crate::tls::SwitchableCert;

/// Follows LINA for as long as the daemon runs; reconnects every second while LINA is away.
pub async fn follow(lina: LinaAddr, resolver: Arc<SwitchableCert>) {
    loop {
        if let Some(client) = connect(&lina).await {
            run(&client, &resolver).await;
        }
        sleep(Duration::from_secs(1)).await;
    }
}

/// Applies the identity now and after every configuration change, until the connection ends.
async fn run(client: &LinaClient, resolver: &SwitchableCert) {
    let Ok(mut generations) = client.subscribe().await else {
        return;
    };
    let closed = client.closed();
    tokio::pin!(closed);
    loop {
        match client.https_identity().await {
            Ok(identity) => apply(resolver, identity),
            Err(e) => {
                tracing::debug!("cannot read the HTTPS identity from LINA: {e}");
                return;
            }
        }
        tokio::select! {
            _ = &mut closed => return,
            changed = generations.changed() => if changed.is_err() { return },
        }
    }
}

fn apply(resolver: &SwitchableCert, identity: Option<HttpsIdentity>) {
    let was = resolver.is_switched();
    let decoded = identity.and_then(|i| {
        let chain: Option<Vec<Vec<u8>>> = i.chain.iter().map(|c| STANDARD.decode(c).ok()).collect();
        Some((chain?, STANDARD.decode(&i.key).ok()?))
    });
    let switched = decoded.is_some();
    match resolver.set(decoded) {
        Ok(()) if switched != was || switched => {
            if switched {
                tracing::info!("HTTPS now presents the ssl trust-point's certificate");
            } else {
                tracing::info!("HTTPS presents the default certificate again");
            }
        }
        Ok(()) => {}
        Err(e) => {
            tracing::warn!("the ssl trust-point's certificate is not usable: {e}");
            let _ = resolver.set(None);
        }
    }
}

async fn connect(lina: &LinaAddr) -> Option<LinaClient> {
    match timeout(
        Duration::from_secs(2),
        LinaClient::connect(
            lina.addr,
            &crate::supervisor::daemon_peer(),
            lina.secret.as_deref(),
        ),
    )
    .await
    {
        Ok(Ok((client, _facts))) => Some(client),
        Ok(Err(e)) => {
            tracing::debug!("cannot reach LINA at {lina}: {e}");
            None
        }
        Err(_) => None,
    }
}
