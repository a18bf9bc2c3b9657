import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";

// Typed by the operator in a live chat: the session becomes (or joins) the customer's ticket.
registry.category("discuss.channel_commands").add("ticket", {
    channel_types: ["livechat"],
    help: _t("Create a helpdesk ticket from this conversation"),
    methodName: "execute_command_ticket",
});
