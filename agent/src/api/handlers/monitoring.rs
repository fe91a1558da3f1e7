//! `/api/monitoring/...` (privilege 3): today the serial number, which napalm-asa uses as its
//! liveness check and which must carry exactly the kind `object#QuerySerialNumber`.

use hyper::StatusCode;
use serde_json::json;

use super::Call;
use crate::api::response::{self, ApiResponse};

/// `GET /api/monitoring/serialnumber` -> `{"kind":"object#QuerySerialNumber","serialNumber":"..."}`.
pub fn serial_number(call: &Call<'_>) -> ApiResponse {
    response::json(
        StatusCode::OK,
        &json!({
            "kind": "object#QuerySerialNumber",
            "serialNumber": call.state.facts.serial_number,
        }),
    )
}
