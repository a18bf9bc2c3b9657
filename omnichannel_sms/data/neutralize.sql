-- A neutralized copy of a database sends no SMS through the company's providers.
UPDATE omnichannel_sms_provider
   SET active = false;
