-- A neutralized copy of a database (odoo-bin neutralize) takes no calls from the telephony system.
UPDATE omnichannel_phone_integration
   SET active = false;
