-- A neutralized copy of a database neither answers nor writes to the Official Accounts and the WeCom
-- customer services, and forgets their cached access tokens.
UPDATE omnichannel_wechat_account
   SET active = false,
       access_token = NULL,
       access_token_expires_at = NULL;

UPDATE omnichannel_wecom_account
   SET active = false,
       access_token = NULL,
       access_token_expires_at = NULL;
