//! What to report for each user, from the on-chain state and what the host sees.
//!
//! | session seen | on-chain status | report |
//! |---|---|---|
//! | up | not Up | Up, at once |
//! | up | Up, last report older than the refresh interval | Up (refresh) |
//! | down for less than the grace period | any | nothing yet |
//! | down for the grace period or longer | not Down | Down |
//! | down for the grace period or longer | Down, last report stale | Down (refresh) |
//!
//! An Up session's RTT (from the kernel, when the source has it) goes with every report, and
//! is also reported on its own when it moved from the chain's by more than both the relative
//! and the absolute threshold, so that a jittery link does not flood the chain.
//!
//! A session that comes back within the grace period resets it (a flap is never reported).
//! The chain is the truth: the only state kept here is when each session was first seen down,
//! and it is rebuilt from observation (a restart waits one grace period before a Down).

use std::collections::{HashMap, HashSet};
use std::net::Ipv4Addr;

use serviceability_client::types::BgpStatus;

/// The agent's timing rules, in seconds of the cluster clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    /// Re-report an unchanged status when the last report is this old.
    pub refresh_interval_secs: i64,
    /// Report Down only after the session has been down this long.
    pub down_grace_secs: i64,
    /// Report a new RTT when it differs from the chain's by more than this percentage of it…
    pub rtt_change_percent: u64,
    /// …and by more than this many nanoseconds.
    pub rtt_change_min_ns: u64,
}

impl Policy {
    /// Whether a sample `sampled` (ns, 0 = none) moved far enough from the chain's
    /// `recorded` to be worth a report of its own.
    pub fn rtt_moved(&self, recorded: u64, sampled: u64) -> bool {
        let difference = sampled.abs_diff(recorded);
        sampled != 0
            && difference > self.rtt_change_min_ns
            && u128::from(difference) * 100
                > u128::from(recorded) * u128::from(self.rtt_change_percent)
    }
}

/// One user as the chain has it.
#[derive(Clone, Copy, Debug)]
pub struct UserState {
    /// The user's client IP (with the device, its address).
    pub client_ip: Ipv4Addr,
    /// The address its BGP session comes from.
    pub peer_ip: Ipv4Addr,
    /// Its on-chain BGP status.
    pub status: BgpStatus,
    /// Its on-chain `last_bgp_reported_at` (0: never).
    pub last_reported_at: i64,
    /// Its on-chain `bgp_rtt_ns` (0: no sample).
    pub rtt_ns: u64,
}

/// Why an update is sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    /// The status differs from the chain's.
    Changed,
    /// Unchanged, but the last report is older than the refresh interval.
    Refresh,
    /// Unchanged and recent, but the RTT moved past the thresholds.
    RttMoved,
}

/// One status to write.
#[derive(Clone, Copy, Debug)]
pub struct Update {
    /// The user's client IP.
    pub client_ip: Ipv4Addr,
    /// The status to record.
    pub status: BgpStatus,
    /// The session's RTT in nanoseconds (0: no sample, and always for Down).
    pub rtt_ns: u64,
    /// Why.
    pub reason: Reason,
}

/// The decisions of one tick, and what they looked at.
#[derive(Clone, Debug, Default)]
pub struct TickDecisions {
    /// The updates to submit.
    pub updates: Vec<Update>,
    /// Users whose session is up.
    pub up: usize,
    /// Users whose session is down (reported or within the grace period).
    pub down: usize,
    /// Users seen down for less than the grace period.
    pub in_grace: usize,
}

/// Decides, tick after tick, remembering when each session was first seen down.
#[derive(Debug)]
pub struct Decider {
    policy: Policy,
    down_since: HashMap<Ipv4Addr, i64>,
}

fn same(a: BgpStatus, b: BgpStatus) -> bool {
    std::mem::discriminant(&a) == std::mem::discriminant(&b)
}

impl Decider {
    /// A decider with no memory.
    pub fn new(policy: Policy) -> Self {
        Decider {
            policy,
            down_since: HashMap::new(),
        }
    }

    /// The policy.
    pub fn policy(&self) -> Policy {
        self.policy
    }

    /// Decides every user's report at cluster time `now`, given the peers with an
    /// established session and the RTT samples of those that have one (ns).
    pub fn decide(
        &mut self,
        users: &[UserState],
        established: &HashSet<Ipv4Addr>,
        rtt_ns: &HashMap<Ipv4Addr, u64>,
        now: i64,
    ) -> TickDecisions {
        let mut decisions = TickDecisions::default();
        let mut still_down = HashMap::with_capacity(self.down_since.len());
        for user in users {
            let stale =
                now.saturating_sub(user.last_reported_at) >= self.policy.refresh_interval_secs;
            let mut rtt = 0;
            let report = if established.contains(&user.peer_ip) {
                decisions.up += 1;
                rtt = rtt_ns.get(&user.peer_ip).copied().unwrap_or(0);
                BgpStatus::Up
            } else {
                decisions.down += 1;
                let since = *self.down_since.get(&user.client_ip).unwrap_or(&now);
                still_down.insert(user.client_ip, since);
                if now.saturating_sub(since) < self.policy.down_grace_secs {
                    decisions.in_grace += 1;
                    continue;
                }
                BgpStatus::Down
            };
            let reason = if !same(report, user.status) {
                Reason::Changed
            } else if stale {
                Reason::Refresh
            } else if self.policy.rtt_moved(user.rtt_ns, rtt) {
                Reason::RttMoved
            } else {
                continue;
            };
            decisions.updates.push(Update {
                client_ip: user.client_ip,
                status: report,
                rtt_ns: rtt,
                reason,
            });
        }
        // Users gone from the chain, or whose session came back, are forgotten.
        self.down_since = still_down;
        decisions
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 3600;
    const POLICY: Policy = Policy {
        refresh_interval_secs: 6 * HOUR,
        down_grace_secs: 300,
        rtt_change_percent: 20,
        rtt_change_min_ns: 1_000_000,
    };

    fn user(n: u8, status: BgpStatus, last_reported_at: i64) -> UserState {
        UserState {
            client_ip: Ipv4Addr::new(100, 64, 0, n),
            peer_ip: Ipv4Addr::new(169, 254, 0, n),
            status,
            last_reported_at,
            rtt_ns: 0,
        }
    }

    fn no_rtt() -> HashMap<Ipv4Addr, u64> {
        HashMap::new()
    }

    fn up(peers: &[u8]) -> HashSet<Ipv4Addr> {
        peers
            .iter()
            .map(|n| Ipv4Addr::new(169, 254, 0, *n))
            .collect()
    }

    fn statuses(decisions: &TickDecisions) -> Vec<(u8, &'static str, Reason)> {
        decisions
            .updates
            .iter()
            .map(|update| {
                let status = match update.status {
                    BgpStatus::Up => "up",
                    BgpStatus::Down => "down",
                    BgpStatus::Unknown => "unknown",
                };
                (update.client_ip.octets()[3], status, update.reason)
            })
            .collect()
    }

    #[test]
    fn a_change_to_up_is_reported_at_once() {
        let mut decider = Decider::new(POLICY);
        let now = 10 * HOUR;
        let users = [
            user(1, BgpStatus::Unknown, 0),
            user(2, BgpStatus::Down, now - 60),
        ];
        let decisions = decider.decide(&users, &up(&[1, 2]), &no_rtt(), now);
        assert_eq!(
            statuses(&decisions),
            [(1, "up", Reason::Changed), (2, "up", Reason::Changed)]
        );
        assert_eq!(decisions.up, 2);
    }

    #[test]
    fn an_unchanged_status_is_not_resubmitted_until_the_refresh_interval() {
        let mut decider = Decider::new(POLICY);
        let now = 10 * HOUR;
        let users = [user(1, BgpStatus::Up, now - 6 * HOUR + 1)];
        assert!(decider
            .decide(&users, &up(&[1]), &no_rtt(), now)
            .updates
            .is_empty());
        let users = [user(1, BgpStatus::Up, now - 6 * HOUR)];
        assert_eq!(
            statuses(&decider.decide(&users, &up(&[1]), &no_rtt(), now)),
            [(1, "up", Reason::Refresh)]
        );
    }

    #[test]
    fn down_waits_for_the_grace_period() {
        let mut decider = Decider::new(POLICY);
        let t0 = 10 * HOUR;
        let users = [user(1, BgpStatus::Up, t0 - 60)];
        let first = decider.decide(&users, &up(&[]), &no_rtt(), t0);
        assert!(first.updates.is_empty());
        assert_eq!((first.down, first.in_grace), (1, 1));
        assert!(decider
            .decide(&users, &up(&[]), &no_rtt(), t0 + 299)
            .updates
            .is_empty());
        let after = decider.decide(&users, &up(&[]), &no_rtt(), t0 + 300);
        assert_eq!(statuses(&after), [(1, "down", Reason::Changed)]);
        assert_eq!(after.in_grace, 0);
    }

    #[test]
    fn a_zero_grace_reports_down_at_once_and_unknown_users_too() {
        let mut decider = Decider::new(Policy {
            down_grace_secs: 0,
            ..POLICY
        });
        let users = [user(1, BgpStatus::Unknown, 0), user(2, BgpStatus::Up, HOUR)];
        let decisions = decider.decide(&users, &up(&[]), &no_rtt(), 2 * HOUR);
        assert_eq!(
            statuses(&decisions),
            [(1, "down", Reason::Changed), (2, "down", Reason::Changed)]
        );
    }

    #[test]
    fn a_flap_within_the_grace_period_is_never_reported() {
        let mut decider = Decider::new(POLICY);
        let t0 = 10 * HOUR;
        let users = [user(1, BgpStatus::Up, t0 - 60)];
        assert!(decider
            .decide(&users, &up(&[]), &no_rtt(), t0)
            .updates
            .is_empty());
        assert!(
            decider
                .decide(&users, &up(&[1]), &no_rtt(), t0 + 200)
                .updates
                .is_empty(),
            "back up"
        );
        // Down again: the grace period starts over.
        assert!(decider
            .decide(&users, &up(&[]), &no_rtt(), t0 + 400)
            .updates
            .is_empty());
        assert!(decider
            .decide(&users, &up(&[]), &no_rtt(), t0 + 699)
            .updates
            .is_empty());
        assert_eq!(
            statuses(&decider.decide(&users, &up(&[]), &no_rtt(), t0 + 700)),
            [(1, "down", Reason::Changed)]
        );
    }

    #[test]
    fn a_reported_down_is_refreshed_only_when_stale() {
        let mut decider = Decider::new(POLICY);
        let t0 = 10 * HOUR;
        let users = [user(1, BgpStatus::Down, t0 - HOUR)];
        decider.decide(&users, &up(&[]), &no_rtt(), t0);
        assert!(
            decider
                .decide(&users, &up(&[]), &no_rtt(), t0 + 300)
                .updates
                .is_empty(),
            "fresh"
        );
        let stale = [user(1, BgpStatus::Down, t0 - 6 * HOUR)];
        assert_eq!(
            statuses(&decider.decide(&stale, &up(&[]), &no_rtt(), t0 + 300)),
            [(1, "down", Reason::Refresh)]
        );
    }

    #[test]
    fn within_grace_a_stale_up_is_not_refreshed() {
        // Refreshing Up while the session is down would record a lie.
        let mut decider = Decider::new(POLICY);
        let t0 = 10 * HOUR;
        let users = [user(1, BgpStatus::Up, t0 - 7 * HOUR)];
        assert!(decider
            .decide(&users, &up(&[]), &no_rtt(), t0)
            .updates
            .is_empty());
    }

    #[test]
    fn departed_users_are_forgotten() {
        let mut decider = Decider::new(POLICY);
        let t0 = 10 * HOUR;
        decider.decide(&[user(1, BgpStatus::Up, t0)], &up(&[]), &no_rtt(), t0);
        decider.decide(&[], &up(&[]), &no_rtt(), t0 + 100);
        // Back (recreated): its grace period starts again.
        let users = [user(1, BgpStatus::Up, t0)];
        assert!(decider
            .decide(&users, &up(&[]), &no_rtt(), t0 + 350)
            .updates
            .is_empty());
    }

    #[test]
    fn an_rtt_is_reported_with_every_up_and_on_its_own_only_past_both_thresholds() {
        let mut decider = Decider::new(POLICY);
        let now = 10 * HOUR;
        let sampled = |ns: u64| HashMap::from([(Ipv4Addr::new(169, 254, 0, 1), ns)]);
        let fresh = |rtt_ns| UserState {
            rtt_ns,
            ..user(1, BgpStatus::Up, now - 60)
        };
        // A change carries the sample.
        let decisions = decider.decide(
            &[user(1, BgpStatus::Down, now - 60)],
            &up(&[1]),
            &sampled(4_000_000),
            now,
        );
        assert_eq!(decisions.updates[0].rtt_ns, 4_000_000);
        // 10 ms → 11.5 ms: 15 % (under 20 %) → nothing; 12.5 ms: 25 % and 2.5 ms → reported.
        assert!(decider
            .decide(&[fresh(10_000_000)], &up(&[1]), &sampled(11_500_000), now)
            .updates
            .is_empty());
        let moved = decider.decide(&[fresh(10_000_000)], &up(&[1]), &sampled(12_500_000), now);
        assert_eq!(statuses(&moved), [(1, "up", Reason::RttMoved)]);
        assert_eq!(moved.updates[0].rtt_ns, 12_500_000);
        // 0.2 ms → 0.5 ms: 150 % but only 0.3 ms → nothing (a fast link's jitter).
        assert!(decider
            .decide(&[fresh(200_000)], &up(&[1]), &sampled(500_000), now)
            .updates
            .is_empty());
        // No sample is never a move; a first sample past 1 ms is.
        assert!(decider
            .decide(&[fresh(10_000_000)], &up(&[1]), &no_rtt(), now)
            .updates
            .is_empty());
        assert_eq!(
            statuses(&decider.decide(&[fresh(0)], &up(&[1]), &sampled(2_000_000), now)),
            [(1, "up", Reason::RttMoved)]
        );
        // A Down report carries no RTT.
        let mut zero_grace = Decider::new(Policy {
            down_grace_secs: 0,
            ..POLICY
        });
        let down = zero_grace.decide(&[fresh(10_000_000)], &up(&[]), &sampled(9), now);
        assert_eq!(
            (down.updates[0].rtt_ns, down.updates[0].reason),
            (0, Reason::Changed)
        );
    }
}
