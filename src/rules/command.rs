//! The command of a side, in its phase: the operational AI's decisions (which groupings
//! fall back, which stand fast, the posture of each), then the day's orders: a player's
//! queued orders first, in the order given, then the AI's. Every order, whoever gives it,
//! is carried out by [`execute`].

use bevy::prelude::*;

use super::events::GameEvent;
use super::execute::{self, TheatreParam};
use super::orders::{Order, OrderQueue};
use super::state::{Controller, Posture, ScenarioRes};
use super::{ai, posture, withdrawal};
use crate::scenario::model::Directive;

/// Whether a side's orders come from the AI (its own, or following the scenario's plan).
fn ai_commands(controller: Controller) -> bool {
    !matches!(controller, Controller::Idle | Controller::Human)
}

/// Days in a row without a reason to withdraw before grouping `g`, ordered back, stands
/// fast.
fn stand_fast_after(s: &crate::scenario::Scenario, g: crate::scenario::ids::GroupingId) -> u32 {
    s.thresholds(g).map_or(1, |a| a.stand_fast_after_days)
}

/// Whether grouping `g`, ordered back, has no reason left and its days of supply have
/// risen to its `stand_fast_above_days`.
fn recovered(
    s: &crate::scenario::Scenario,
    g: crate::scenario::ids::GroupingId,
    reasons: &[crate::rules::events::Reason],
    assessment: Option<&withdrawal::Assessment>,
) -> bool {
    let above = s.thresholds(g).and_then(|t| t.stand_fast_above_days);
    match (above, assessment) {
        (Some(x), Some(a)) => reasons.is_empty() && a.days_of_supply >= x,
        _ => false,
    }
}

/// The operational AI of the side whose phase it is: brings its plans up to date, then
/// assesses each grouping with a line to fall back to against the side's thresholds and
/// orders it back (with its reasons), on to its next line, or to stand fast once no reason
/// is left; and sets each grouping's posture for the day.
pub(super) fn operational_ai(
    scenario: Res<ScenarioRes>,
    mut theatre: TheatreParam,
    mut out: MessageWriter<GameEvent>,
) {
    let s = &scenario.0;
    let clock = *theatre.clock;
    let side = clock.active_side();
    if !ai_commands(theatre.command.controllers[side]) {
        return;
    }
    let mut events = Vec::new();
    let mut t = theatre.theatre();
    ai::advance_plans(s, t.board, t.forces, t.command, &clock, side);
    for g in s.grouping_ids() {
        let grouping = s.grouping(g);
        if grouping.side != side {
            continue;
        }
        // The commander's estimate of the enemy near this grouping, off by up to the
        // rules' intel_error.
        let estimate = posture::estimate(t.dice, clock.turn, g, s.rules.intel_error);
        // Only a grouping with a line to fall back to is assessed for it, once a day.
        let assessment = if grouping.fallback.is_empty() {
            None
        } else {
            withdrawal::assess(s, t.board, t.depots, t.forces, g, estimate)
        };
        let reasons = assessment
            .as_ref()
            .map(|a| withdrawal::reasons(s, a, g))
            .unwrap_or_default();
        let enough = assessment
            .as_ref()
            .and_then(|a| withdrawal::reasons_to_withdraw(s, a, g));
        let withdrawing = t.command.withdrawals[g].is_some();
        // Reassessed each day: the days in a row without a reason to fall back.
        let calm = match (t.command.withdrawals[g].as_mut(), &assessment) {
            (Some(w), Some(_)) => {
                w.calm_days = if reasons.is_empty() {
                    w.calm_days + 1
                } else {
                    0
                };
                w.calm_days
            }
            _ => 0,
        };
        let back = Order::Withdraw { grouping: g };
        // Under one command's decision with another grouping that is falling back: that
        // grouping's order is its reason (to fall back, and on to its next line).
        let tied = grouping
            .withdraws_with
            .filter(|h| t.command.withdrawals[*h].is_some());
        let enough = match tied {
            Some(h) => Some(vec![crate::rules::events::Reason::WithGrouping {
                grouping: h,
            }]),
            None => enough,
        };
        // A directive from above overrules the commander: held, it is never ordered back;
        // ordered back on a day, it goes that day whatever its reasons, and not before.
        let directed = grouping.directive;
        let enough = match directed {
            Some(Directive::Hold) => None,
            Some(Directive::WithdrawOn(day)) if !withdrawing => {
                (clock.turn >= day).then(|| vec![crate::rules::events::Reason::Directive { day }])
            }
            _ => enough,
        };
        if !withdrawing && let Some(reasons) = enough {
            let _ = execute::issue_with_reasons(s, &mut t, side, back, reasons, &mut events);
        } else if withdrawing
            && t.command.line[g] + 1 < grouping.lines()
            && withdrawal::on_line(t.forces, g, grouping.line(t.command.line[g]))
            && let Some(reasons) = enough
        {
            // On its line and still in trouble: back to the next one.
            let _ = execute::issue_with_reasons(s, &mut t, side, back, reasons, &mut events);
        } else if withdrawing
            && tied.is_none()
            && directed.is_none()
            && (calm >= stand_fast_after(s, g) || recovered(s, g, &reasons, assessment.as_ref()))
        {
            // No reason to fall back for the side's `stand_fast_after_days` in a row, or
            // none and its supply back above `stand_fast_above_days`: it stands fast (an
            // order is not taken back on one good day unless supply is plainly restored).
            let order = Order::StandFast { grouping: g };
            let _ = execute::issue(s, &mut t, side, order, &mut events);
        }
        let Some(at) = posture::situation(s, t.forces, g, estimate) else {
            continue;
        };
        let goals = ai::attack_goals(s, t.board, t.forces, t.depots, t.command, g, estimate);
        let (now, why) = posture::choose(s, t.command, g, &at, &goals);
        if now != t.command.posture[g] {
            t.command.posture[g] = now;
            if now != Posture::Withdraw {
                events.push(GameEvent::PostureTaken {
                    grouping: g,
                    side,
                    posture: now,
                    why,
                });
            }
        }
    }
    out.write_batch(events);
}

/// The orders of the side whose phase it is: the queued orders (a player's, or a
/// replay's) first, in the order given, each outcome kept for [`super::day::give`]; then
/// the AI's, if the AI commands the side.
pub(super) fn side_orders(
    scenario: Res<ScenarioRes>,
    mut theatre: TheatreParam,
    mut queue: ResMut<OrderQueue>,
    mut out: MessageWriter<GameEvent>,
) {
    let s = &scenario.0;
    let side = theatre.clock.active_side();
    let mut events = Vec::new();
    let mut t = theatre.theatre();
    for order in std::mem::take(&mut queue.waiting) {
        let outcome = execute::issue(s, &mut t, side, order, &mut events);
        queue.outcomes.push(outcome);
    }
    if ai_commands(t.command.controllers[side]) {
        ai::run(s, &mut t, side, &mut events);
    }
    out.write_batch(events);
}
