<#-- Slack's built-in message, in mrkdwn: the first line is the title every part repeats. -->
<#import "/nm.ftl" as nm>
<#macro alert a>
• *${a.name}*<#if a.summary?has_content>: ${a.summary}</#if>
<#if a.labels?has_content>
      ${words.labels}: ${nm.labels(a)}
</#if>
<#list a.annotations as n>
      ${n.name}: ${n.value}
</#list>
      <#if a.startsAt?has_content>${words.startsAt}: ${a.startsAt}</#if><#if a.endsAt?has_content> · ${words.endsAt}: ${a.endsAt}</#if><#if a.generatorURL?has_content> · <${a.generatorURL?no_esc}|${words.source}></#if><#if a.runbookURL?has_content> · <${a.runbookURL?no_esc}|${words.runbook}></#if>
</#macro>
*${nm.title()}*
<#list firing>

*${words.firing}* (${firing?size})
<#items as a>
<@alert a/>
</#items>
</#list>
<#list resolved>

*${words.resolved}* (${resolved?size})
<#items as a>
<@alert a/>
</#items>
</#list>
<#if truncatedNote?has_content>

_${truncatedNote}_
</#if>
