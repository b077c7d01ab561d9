<#--
  Discord's built-in message, in Discord's markdown. The first line is the title: the channel
  shows it in bold in a message's content, or as the embed's title; every part repeats it.
-->
<#import "/nm.ftl" as nm>
<#macro alert a>
**${a.name}**<#if a.summary?has_content>: ${a.summary}</#if>
<#list a.labels as l>
- ${l.name}: ${l.value}
</#list>
<#list a.annotations as n>
- *${n.name}*: ${n.value}
</#list>
<#if a.startsAt?has_content>
${words.startsAt}: ${a.startsAt}<#if a.endsAt?has_content> · ${words.endsAt}: ${a.endsAt}</#if>
</#if>
<#if a.generatorURL?has_content || a.runbookURL?has_content>
<#if a.generatorURL?has_content>[${words.source}](<${a.generatorURL?no_esc}>)</#if><#if a.generatorURL?has_content && a.runbookURL?has_content> · </#if><#if a.runbookURL?has_content>[${words.runbook}](<${a.runbookURL?no_esc}>)</#if>
</#if>
</#macro>
${nm.title()}
<#list firing>

**${words.firing}** (${firing?size})
<#items as a>
<@alert a/>
</#items>
</#list>
<#list resolved>

**${words.resolved}** (${resolved?size})
<#items as a>
<@alert a/>
</#items>
</#list>
<#if truncatedNote?has_content>

*${truncatedNote}*
</#if>
