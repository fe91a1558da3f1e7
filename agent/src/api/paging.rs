//! Collection paging: which slice of a collection a page holds, and its `rangeInfo`.
//!
//! `rangeInfo.limit` is the number of items actually returned (go-ciscoasa pages until
//! `offset + limit == total`); a larger requested limit is clamped to [`MAX_LIMIT`].

use std::ops::Range;

use hyper::StatusCode;
use serde::Serialize;
use serde_json::{Value, json};

use super::handlers::Call;
use super::response::{self, ApiResponse};

/// Most items one page may hold.
pub const MAX_LIMIT: usize = 100;

/// `rangeInfo` of a collection response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RangeInfo {
    pub offset: usize,
    pub limit: usize,
    pub total: usize,
}

/// The slice of a collection of `total` items that a request for `offset` and `limit`
/// returns, and the `rangeInfo` describing it.
///
/// * no `offset` means 0; no `limit` (or `limit=0`) means [`MAX_LIMIT`]; larger limits are clamped;
/// * an empty collection is always `{offset 0, limit 0, total 0}`;
/// * an offset at or past the end gives no items and echoes the offset.
pub fn window(
    total: usize,
    offset: Option<usize>,
    limit: Option<usize>,
) -> (Range<usize>, RangeInfo) {
    let offset = offset.unwrap_or(0);
    let limit = match limit {
        None | Some(0) => MAX_LIMIT,
        Some(n) => n.min(MAX_LIMIT),
    };
    if total == 0 {
        return (
            0..0,
            RangeInfo {
                offset: 0,
                limit: 0,
                total: 0,
            },
        );
    }
    let start = offset.min(total);
    let end = start.saturating_add(limit).min(total);
    (
        start..end,
        RangeInfo {
            offset,
            limit: end - start,
            total,
        },
    )
}

/// One page of a collection, in the envelope every collection answers
/// (`{kind, selfLink, rangeInfo, items}`), built here only. `item` gets each element with its
/// 1-based position in the whole collection (ACEs and NAT rules answer it as `position`).
pub fn page<T>(
    call: &Call<'_>,
    kind: &str,
    path: &str,
    all: &[T],
    item: impl FnMut(usize, &T) -> Value,
) -> ApiResponse {
    page_of(
        call,
        kind,
        path,
        all.len(),
        |range| all.get(range).unwrap_or_default().iter(),
        item,
    )
}

/// [`page`] of a collection of `total` elements that answers the elements of a range itself
/// (a persistent collection has no slice).
pub fn page_of<'a, T: 'a, I: Iterator<Item = &'a T>>(
    call: &Call<'_>,
    kind: &str,
    path: &str,
    total: usize,
    range_of: impl FnOnce(Range<usize>) -> I,
    mut item: impl FnMut(usize, &T) -> Value,
) -> ApiResponse {
    let (range, range_info) = window(total, call.query.offset, call.query.limit);
    let start = range.start;
    let items: Vec<Value> = range_of(range)
        .enumerate()
        .map(|(k, x)| item(start + k + 1, x))
        .collect();
    let body = json!({
        "kind": kind,
        "selfLink": call.origin.url(path),
        "rangeInfo": range_info,
        "items": items,
    });
    response::json(StatusCode::OK, &body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn info(
        total: usize,
        offset: Option<usize>,
        limit: Option<usize>,
    ) -> (Range<usize>, RangeInfo) {
        window(total, offset, limit)
    }

    #[test]
    fn default_page_is_the_first_hundred() {
        let (r, ri) = info(250, None, None);
        assert_eq!(r, 0..100);
        assert_eq!(
            ri,
            RangeInfo {
                offset: 0,
                limit: 100,
                total: 250
            }
        );
    }

    #[test]
    fn limit_reports_items_returned_not_items_asked() {
        let (r, ri) = info(7, Some(5), Some(50));
        assert_eq!(r, 5..7);
        assert_eq!(
            ri,
            RangeInfo {
                offset: 5,
                limit: 2,
                total: 7
            }
        );
    }

    #[test]
    fn large_limit_is_clamped_to_one_hundred() {
        let (r, ri) = info(1000, Some(0), Some(5000));
        assert_eq!(r, 0..100);
        assert_eq!(ri.limit, 100);
        assert_eq!(ri.total, 1000);
    }

    #[test]
    fn empty_collection_is_all_zero() {
        assert_eq!(
            info(0, Some(10), Some(10)).1,
            RangeInfo {
                offset: 0,
                limit: 0,
                total: 0
            }
        );
    }

    #[test]
    fn offset_past_the_end_gives_no_items_and_echoes_the_offset() {
        let (r, ri) = info(3, Some(10), None);
        assert!(r.is_empty());
        assert_eq!(
            ri,
            RangeInfo {
                offset: 10,
                limit: 0,
                total: 3
            }
        );
    }

    #[test]
    fn serialises_as_rangeinfo() {
        let ri = RangeInfo {
            offset: 1,
            limit: 2,
            total: 3,
        };
        assert_eq!(
            serde_json::to_string(&ri).unwrap(),
            r#"{"offset":1,"limit":2,"total":3}"#
        );
    }

    proptest! {
        #[test]
        fn paging_with_returned_limit_visits_every_item_once(total in 0usize..1000, step in 1usize..150) {
            let mut offset = 0;
            let mut seen = 0;
            loop {
                let (r, ri) = window(total, Some(offset), Some(step));
                prop_assert_eq!(r.len(), ri.limit);
                prop_assert!(ri.limit <= MAX_LIMIT);
                seen += ri.limit;
                if ri.offset + ri.limit >= ri.total { break; }
                offset += ri.limit;
            }
            prop_assert_eq!(seen, total);
        }

        #[test]
        fn any_inputs_stay_in_bounds(total in 0usize..10_000, offset in any::<Option<usize>>(), limit in any::<Option<usize>>()) {
            let (r, ri) = window(total, offset, limit);
            prop_assert!(r.end <= total);
            prop_assert!(r.start <= r.end);
            prop_assert_eq!(ri.total, total);
        }
    }
}
