<#-- DingTalk's built-in title: the chat list shows it, and it heads the markdown. -->
<#import "/nm.ftl" as nm>
${nm.title()}
