import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";

// Typed by the operator in a live chat: the session becomes (or joins) the customer's ticket.
registry.category("discuss.channel_commands").add("ticket", {
    channel_types: ["livechat"],
    help: _t("Create a helpdesk ticket from this conversation"),
    methodName: "execute_command_ticket",
});

// The visitor claims an email address or phone number: a one-time code goes to it, to be typed back.
registry.category("discuss.channel_commands").add("verify", {
    channel_types: ["livechat"],
    help: _t("Send the visitor a one-time code to prove the email or phone they gave"),
    methodName: "execute_command_verify",
});
